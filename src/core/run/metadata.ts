// Execution metadata: at most 10 string entries, key <= 32 and value <= 255 characters (REFERENCE §1.9),
// and the `key=value, key2=value2` form users type into an input box.
import { RUN_ID_METADATA_KEY } from '../api/runReconcile';
import { InputError } from '../errors';

export const RUN_METADATA_LIMITS = { maxEntries: 10, maxKeyLength: 32, maxValueLength: 255 } as const;

/** Lengths count Unicode characters (code points), as JSON Schema's maxLength does. */
function length(text: string): number {
  return [...text].length;
}

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
      throw new InputError(`Run metadata key "${key}" is ${length(key)} characters; keys may have at most ${maxKeyLength}.`);
    }
    if (typeof value !== 'string') {
      throw new InputError(`Run metadata "${key}" is ${value === null ? 'null' : typeof value}; metadata values must be strings (write "${String(value)}" in quotes).`);
    }
    if (length(value) > maxValueLength) {
      throw new InputError(`Run metadata "${key}" has a value of ${length(value)} characters; values may have at most ${maxValueLength}.`);
    }
  }
}

/** Entries a user may give a run: CDF's limit less the one the client adds (its run id, the no-duplicate check). */
export const USER_RUN_METADATA_MAX_ENTRIES = RUN_METADATA_LIMITS.maxEntries - 1;

export function tooManyUserMetadataEntries(entries: number): InputError {
  return new InputError(
    `Run metadata has ${entries} entries; at most ${USER_RUN_METADATA_MAX_ENTRIES} are allowed: CDF allows ${RUN_METADATA_LIMITS.maxEntries} ` +
      `and the extension adds its run id (${RUN_ID_METADATA_KEY}) as one of them. Remove ${entries - USER_RUN_METADATA_MAX_ENTRIES}.`,
  );
}

/**
 * Checks metadata a user (or a tool call on their behalf) gives a run: an object of strings within CDF's
 * limits, one entry fewer than CDF allows, and without the key the client reserves for its run id.
 */
export function checkUserRunMetadata(meta: unknown): Record<string, string> {
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) {
    throw new InputError('Run metadata must be an object of string keys and string values, like {"source": "vscode"}.');
  }
  const entries = Object.keys(meta).length;
  if (entries > USER_RUN_METADATA_MAX_ENTRIES) throw tooManyUserMetadataEntries(entries);
  if (Object.hasOwn(meta, RUN_ID_METADATA_KEY)) {
    throw new InputError(`Run metadata key "${RUN_ID_METADATA_KEY}" is reserved: the extension sets it to find the run again. Use another key.`);
  }
  validateRunMetadata(meta as Record<string, unknown>);
  return { ...(meta as Record<string, string>) };
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
