// The run input: strict JSON, a top-level object, at most 100 KB as sent and 1000 levels deep. Checked before
// anything goes out, with 1-based positions so the editor can put a diagnostic on the spot.
// jsonc-parser's enums are ambient const enums (unusable under isolatedModules): compare by name instead.
import { type ParseError, createScanner, parse as parseJsonc, printParseErrorCode } from 'jsonc-parser';
import { InputError } from '../errors';
import { RUN_INPUT_MAX_BYTES, RUN_INPUT_MAX_DEPTH } from './limits';

export interface RunInput {
  readonly input: Record<string, unknown>;
  /** UTF-8 size of the input as sent (compact JSON.stringify). */
  readonly bytes: number;
}

export interface TextLocation {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

/**
 * Parses the text of a run input file. A leading byte-order mark is ignored; locations are relative to
 * the text without it (which is what an editor shows).
 */
export function parseRunInput(text: string): RunInput {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const start = source.search(/\S/);
  if (start < 0) {
    throw new InputError('The run input is empty; it must be a JSON object, for example {}.', locate(source, 0));
  }
  // jsonc-parser recurses once per level: deeper text would overflow the stack before it says anything.
  const tooDeep = firstOffsetDeeperThan(source, RUN_INPUT_MAX_DEPTH);
  if (tooDeep !== undefined) {
    const location = locate(source, tooDeep);
    throw new InputError(
      `The run input nests objects and lists more than ${RUN_INPUT_MAX_DEPTH} levels deep (line ${location.line}, column ${location.column}). Flatten it: no workflow reads that deep.`,
      location,
    );
  }
  // JSON.parse on Node 20 gives no position for some errors ("Unexpected token", "Unexpected end"), so
  // jsonc-parser in strict mode finds the first error and its offset; JSON.parse then builds the value.
  const errors: ParseError[] = [];
  parseJsonc(source, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (first) {
    const location = locate(source, first.offset);
    throw new InputError(
      `The run input is not valid JSON: ${describeSyntaxError(source, first)} (line ${location.line}, column ${location.column}).`,
      location,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (error) {
    // Not expected after jsonc-parser found nothing; keep a usable message and position anyway.
    const offset = /position (\d+)/.exec(String(error))?.[1];
    const location = locate(source, offset === undefined ? start : Number(offset));
    throw new InputError(`The run input is not valid JSON: ${(error as Error).message}.`, location);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError(
      `The run input must be a JSON object such as {"key": "value"}, not ${describeKind(value)}. Wrap the value in an object.`,
      locate(source, start),
    );
  }
  // Safe to serialise as it is: the text was checked for depth, and parsed JSON cannot refer to itself.
  const bytes = Buffer.byteLength(JSON.stringify(value), 'utf8');
  if (bytes > RUN_INPUT_MAX_BYTES) {
    throw new InputError(
      `The run input is ${formatBytes(bytes)} as sent (compact JSON); CDF accepts at most ${formatBytes(RUN_INPUT_MAX_BYTES)} (100 KB). ` +
        'Store large data in CDF (a file or a RAW table) and pass its id in the input instead.',
      locate(source, start),
    );
  }
  return { input: value as Record<string, unknown>, bytes };
}

/** Offset of the first `{` or `[` (outside strings) that opens a level deeper than `maxDepth`, if any. */
function firstOffsetDeeperThan(text: string, maxDepth: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92 /* \ */) i++;
      else if (ch === 34 /* " */) inString = false;
    } else if (ch === 34) {
      inString = true;
    } else if (ch === 123 /* { */ || ch === 91 /* [ */) {
      if (++depth > maxDepth) return i;
    } else if (ch === 125 /* } */ || ch === 93 /* ] */) {
      depth--;
    }
  }
  return undefined;
}

/** 1-based line and column (in UTF-16 code units, as editors count) of a 0-based offset. */
export function locate(text: string, offset: number): TextLocation {
  const clamped = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < clamped; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10 /* \n */ || (ch === 13 /* \r */ && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: clamped - lineStart + 1, offset: clamped };
}

function describeSyntaxError(text: string, error: ParseError): string {
  const at = text.charAt(error.offset);
  const before = text.slice(0, error.offset).trimEnd();
  if ((at === '}' || at === ']') && before.endsWith(',')) {
    return `a trailing comma before '${at}' is not allowed in JSON; remove the comma`;
  }
  switch (printParseErrorCode(error.error)) {
    case 'InvalidCommentToken':
    case 'UnexpectedEndOfComment':
      return 'comments are not allowed in JSON; remove the comment';
    case 'UnexpectedEndOfString':
      return 'a string is not closed; strings end with " on the same line (write \\n for a line break)';
    case 'InvalidCharacter':
      return 'a string contains a raw control character such as a tab or line break; write it as \\t or \\n';
    case 'InvalidEscapeCharacter':
      return 'a string has an invalid escape sequence; valid ones are \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX';
    case 'InvalidUnicode':
      return 'a \\u escape needs exactly four hex digits';
    case 'InvalidNumberFormat':
    case 'UnexpectedEndOfNumber':
      return 'a number is malformed';
    case 'PropertyNameExpected':
      return at === "'" || /[A-Za-z_$]/.test(at)
        ? 'property names must be in double quotes, like "name"'
        : 'expected a property name in double quotes';
    case 'ColonExpected':
      return "expected ':' after the property name";
    case 'CommaExpected':
      if (/[0-9]/.test(at) && /(^|[^0-9.eE+-])-?0$/.test(before)) return 'numbers cannot have leading zeros';
      if (at === '}' || at === ']') {
        const open = innermostOpen(text, error.offset);
        if (open === '[') return "expected ',' or ']' to close the list opened with '['";
        if (open === '{') return "expected ',' or '}' to close the object opened with '{'";
      }
      return "expected ',' between entries";
    case 'CloseBraceExpected':
      return error.offset >= text.length ? "the text ends before the object is closed with '}'" : "expected '}' to close the object";
    case 'CloseBracketExpected':
      return error.offset >= text.length ? "the text ends before the list is closed with ']'" : "expected ']' to close the list";
    case 'EndOfFileExpected':
      return 'unexpected text after the end of the JSON value';
    case 'ValueExpected':
      return error.offset >= text.length ? 'the text ends where a value was expected' : `expected a value, found '${at}'`;
    case 'InvalidSymbol': {
      const token = /^[^\s,:{}[\]"]*/.exec(text.slice(error.offset))?.[0] || at;
      if (token.startsWith("'")) return 'strings must be in double quotes, not single quotes';
      if (/^(NaN|-?Infinity|undefined)$/.test(token)) return `${token} is not a JSON value; use null or a number`;
      if (isCompleteJson(before)) return `unexpected '${token}' after the end of the JSON value`;
      return `unexpected '${token}'; a value is a string in double quotes, a number, true, false, null, an object or a list`;
    }
    default:
      return 'unexpected character';
  }
}

/** The bracket of the innermost object or list still open at `offset`. */
function innermostOpen(text: string, offset: number): '{' | '[' | undefined {
  const scanner = createScanner(text, true);
  const stack: ('{' | '[')[] = [];
  while (scanner.getPosition() < offset) {
    scanner.scan();
    const tokenOffset = scanner.getTokenOffset();
    if (tokenOffset >= offset || scanner.getTokenLength() === 0) break;
    const token = text.slice(tokenOffset, tokenOffset + scanner.getTokenLength());
    if (token === '{' || token === '[') stack.push(token);
    else if (token === '}' || token === ']') stack.pop();
  }
  return stack[stack.length - 1];
}

function isCompleteJson(text: string): boolean {
  try {
    JSON.parse(text);
    return text.trim() !== '';
  } catch {
    return false;
  }
}

function describeKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list (array)';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  return typeof value;
}

export function formatBytes(bytes: number): string {
  return `${bytes.toLocaleString('en-US')} bytes`;
}
