// The limits CDF puts on a run's input and metadata (REFERENCE §1.9, §2.5) and how they are measured: the
// one definition that the input file checks, the metadata input box, the client's run and the schedule
// routes all use, so a value accepted in one place is never refused in another.
import { InputError } from '../errors';

/** CDF's limit on an execution's input: 100 KB of JSON as sent (compact JSON.stringify, UTF-8). */
export const RUN_INPUT_MAX_BYTES = 102_400;

/**
 * The deepest nesting of objects and lists a run input may have. CDF documents no limit; 1000 is the
 * default of the common JSON readers (Jackson's StreamReadConstraints), far beyond any real input, and well
 * below where recursive parsers and JSON.stringify overflow the stack (some thousands of levels).
 */
export const RUN_INPUT_MAX_DEPTH = 1000;

/** Execution and trigger metadata: at most 10 entries, keys up to 32 and values up to 255 characters. */
export const RUN_METADATA_LIMITS = { maxEntries: 10, maxKeyLength: 32, maxValueLength: 255 } as const;

/**
 * Entries a user may add to a run's metadata: the client keeps one for the run id it looks the run up by
 * after an ambiguous failure.
 */
export const RUN_METADATA_USER_ENTRIES = RUN_METADATA_LIMITS.maxEntries - 1;

/**
 * The length of a metadata key or value as checked against its limit: UTF-16 code units (JavaScript's
 * length). CDF does not say how it counts "characters"; a JSON Schema validator counts code points, a JVM
 * String counts code units, and code units are never fewer, so what passes here passes either way. An emoji
 * counts as 2.
 */
export function metadataLength(text: string): number {
  return text.length;
}

/** "40 characters", saying why when some count as 2. */
export function describeMetadataLength(text: string): string {
  const n = metadataLength(text);
  const hasPairs = /[\uD800-\uDBFF][\uDC00-\uDFFF]/.test(text);
  return `${n} characters${hasPairs ? ' (emoji and some other symbols count as 2)' : ''}`;
}

/**
 * UTF-8 size of a value as sent (compact JSON), after checking that serialising it is safe: not nested
 * deeper than RUN_INPUT_MAX_DEPTH, not referring to itself, and not so many values that it cannot fit.
 * Throws InputError naming where the nesting went too deep. `what` names the value: "The run input".
 */
export function jsonInputBytes(value: unknown, what: string): number {
  // An explicit stack, not recursion: the point is to stay clear of the call stack's limit. Paths are
  // only spelled out for the error.
  const stack: Frame[] = [{ value, depth: 0 }];
  let visited = 0;
  while (stack.length > 0) {
    const frame = stack.pop()!;
    // Every value takes at least one byte of JSON: more values than bytes allowed cannot fit.
    if (++visited > RUN_INPUT_MAX_BYTES) throw tooLarge(what, `more than ${RUN_INPUT_MAX_BYTES.toLocaleString('en-US')} values`);
    const v = frame.value;
    if (typeof v !== 'object' || v === null) continue;
    if (frame.depth >= RUN_INPUT_MAX_DEPTH) {
      // A value that contains itself is infinitely deep: it ends up here too.
      const repeat = firstRepeat(frame);
      if (repeat) throw new InputError(`${what} refers to itself at ${pathOf(repeat)}, so it cannot be sent as JSON.`);
      throw new InputError(`${what} nests objects and lists more than ${RUN_INPUT_MAX_DEPTH} levels deep (at ${pathOf(frame)}). Flatten it: no workflow reads that deep.`);
    }
    const depth = frame.depth + 1;
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i] as unknown, depth, parent: frame, key: i });
    } else {
      for (const key of Object.keys(v)) stack.push({ value: (v as Record<string, unknown>)[key], depth, parent: frame, key });
    }
  }
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}

interface Frame {
  readonly value: unknown;
  readonly depth: number;
  readonly parent?: Frame;
  readonly key?: string | number;
}

function chainOf(frame: Frame): Frame[] {
  const chain: Frame[] = [];
  for (let f: Frame | undefined = frame; f; f = f.parent) chain.push(f);
  return chain.reverse();
}

/** The first frame, from the top, whose object is one of its own ancestors. */
function firstRepeat(frame: Frame): Frame | undefined {
  const seen = new Set<unknown>();
  for (const f of chainOf(frame)) {
    if (seen.has(f.value)) return f;
    seen.add(f.value);
  }
  return undefined;
}

/** `input.a[2].b`, the first six steps of it when it is longer. */
function pathOf(frame: Frame): string {
  const steps = chainOf(frame).slice(1).map(f => (typeof f.key === 'number' ? `[${f.key}]` : `.${String(f.key)}`));
  if (steps.length === 0) return 'the top level';
  return `input${steps.slice(0, 6).join('')}${steps.length > 6 ? '…' : ''}`;
}

function tooLarge(what: string, detail: string): InputError {
  return new InputError(`${what} is larger than CDF accepts (${detail}; at most ${RUN_INPUT_MAX_BYTES.toLocaleString('en-US')} bytes, 100 KB). Pass large data by reference instead.`);
}

/** Throws InputError when `bytes` is over RUN_INPUT_MAX_BYTES; `what` names the value. */
export function checkInputBytes(bytes: number, what: string): void {
  if (bytes > RUN_INPUT_MAX_BYTES) {
    throw new InputError(
      `${what} is ${bytes.toLocaleString('en-US')} bytes as sent (compact JSON); CDF accepts at most ${RUN_INPUT_MAX_BYTES.toLocaleString('en-US')} bytes (100 KB). ` +
        'Store large data in CDF (a file or a RAW table) and pass its id in the input instead.',
    );
  }
}
