// Execution metadata checked against its limits (./limits.ts), and the `key=value, key2=value2` form users
// type into an input box.
import { RUN_ID_METADATA_KEY } from '../api/runReconcile';
import { InputError } from '../errors';
import { describeMetadataLength, metadataLength as length, RUN_METADATA_LIMITS, RUN_METADATA_USER_ENTRIES } from './limits';

/** Throws InputError naming the first entry that breaks a limit. */
export function validateRunMetadata(meta: Record<string, unknown>): asserts meta is Record<string, string> {
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) {
    throw new InputError('Run metadata must be an object of string keys and string values, like {"source": "vscode"}.');
  }
  const entries = Object.entries(meta);
  const { maxEntries, maxKeyLength, maxValueLength } = RUN_METADATA_LIMITS;
  if (entries.length > maxEntries) {
    throw new InputError(`Run metadata has ${entries.length} entries; CDF allows at most ${maxEntries}. Remove ${entries.length - maxEntries}.`);
  }
  for (const [key, value] of entries) {
    if (key.trim() === '') throw new InputError('A run metadata key is empty; give every value a key.');
    if (length(key) > maxKeyLength) {
      throw new InputError(`Run metadata key "${key}" is ${describeMetadataLength(key)}; keys may have at most ${maxKeyLength}.`);
    }
    if (typeof value !== 'string') {
      throw new InputError(`Run metadata "${key}" is ${value === null ? 'null' : typeof value}; metadata values must be strings (write "${String(value)}" in quotes).`);
    }
    if (length(value) > maxValueLength) {
      throw new InputError(`Run metadata "${key}" has a value of ${describeMetadataLength(value)}; values may have at most ${maxValueLength}.`);
    }
  }
}

/**
 * Metadata a user gives a run: the client adds its run id under RUN_ID_METADATA_KEY, so one entry fewer
 * is left and that key is taken. Throws InputError naming the problem.
 */
export function validateUserRunMetadata(meta: Record<string, unknown>): asserts meta is Record<string, string> {
  checkUserRunMetadataEntries(typeof meta === 'object' && meta !== null ? Object.keys(meta).length : 0);
  if (Object.hasOwn(meta, RUN_ID_METADATA_KEY)) {
    throw new InputError(`Run metadata key "${RUN_ID_METADATA_KEY}" is reserved: the extension sets it to find the run again. Use another key.`);
  }
  validateRunMetadata(meta);
}

/** Throws InputError when a user's run metadata has more entries than RUN_METADATA_USER_ENTRIES. */
export function checkUserRunMetadataEntries(entries: number): void {
  if (entries <= RUN_METADATA_USER_ENTRIES) return;
  throw new InputError(
    `Run metadata has ${entries} entries; at most ${RUN_METADATA_USER_ENTRIES} are allowed: CDF allows ${RUN_METADATA_LIMITS.maxEntries} ` +
      `and the extension adds its run id (${RUN_ID_METADATA_KEY}) as one of them. Remove ${entries - RUN_METADATA_USER_ENTRIES}.`,
  );
}

/**
 * Parses `key=value, key2=value2` (whitespace around keys and values is dropped). Inside a key or value,
 * write `\,` for a comma, `\=` for an equals sign and `\\` for a backslash; an unescaped `=` inside a value
 * is kept as is. Empty text gives {}. The result is validated against the metadata limits.
 */
export function parseRunMetadata(text: string): Record<string, string> {
  const meta: Record<string, string> = {};
  if (text.trim() === '') return meta;
  for (const entry of splitUnescaped(text, ',')) {
    if (entry.trim() === '') {
      throw new InputError('Run metadata has an empty entry (two commas in a row, or a trailing comma). Write key=value pairs separated by commas.');
    }
    const [rawKey, ...rest] = splitUnescaped(entry, '=');
    if (rest.length === 0) {
      throw new InputError(`Run metadata entry "${unescape(entry).trim()}" has no "="; write it as key=value.`);
    }
    const key = unescape(rawKey ?? '').trim();
    const value = unescape(rest.join('=')).trim();
    if (key === '') throw new InputError(`Run metadata entry "${unescape(entry).trim()}" has no key before "="; write it as key=value.`);
    if (Object.hasOwn(meta, key)) throw new InputError(`Run metadata key "${key}" appears more than once; keep one.`);
    meta[key] = value;
  }
  validateRunMetadata(meta);
  return meta;
}

/** The inverse of parseRunMetadata, to prefill an input box. */
export function formatRunMetadata(meta: Readonly<Record<string, string>>): string {
  const escape = (text: string): string => text.replace(/[\\,=]/g, (c) => `\\${c}`);
  return Object.entries(meta)
    .map(([key, value]) => `${escape(key)}=${escape(value)}`)
    .join(', ');
}

/** Splits on `separator` where it is not escaped by a backslash; escapes stay in the parts. */
function splitUnescaped(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (ch === '\\' && i + 1 < text.length) {
      current += ch + text.charAt(i + 1);
      i++;
    } else if (ch === separator) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

function unescape(text: string): string {
  return text.replace(/\\([\\,=])/g, '$1');
}
