// Answers of the language-model tools are read by a model with a limited context: each is plain text within
// a budget (about 4,000 tokens unless the caller asks for less), says where and how much it cut, and keeps
// the ids a follow-up call needs to fetch the rest.

/** Budget of one tool answer, in tokens, when the caller gives none. */
export const DEFAULT_TOOL_TOKEN_BUDGET = 4000;
/** The least an answer gets, whatever the caller asks: a header, a few lines and the cut notes. */
export const MIN_TOOL_TOKEN_BUDGET = 500;

// Pieces a byte-pair tokenizer's pre-tokenizer makes: a word with its leading space, up to three digits,
// a run of punctuation, whitespace.
const PIECES = / ?[A-Za-z]+| ?\d{1,3}| ?[^\sA-Za-z\d]+|\s+/g;

/**
 * Tokens a text costs a model, estimated without a tokenizer: one per word piece (long words as several),
 * digit group and pair of punctuation marks. Measured against GPT-4's and GPT-4o's encodings on the tools'
 * answers (ids, timestamps, JSON, logs, prose: npm run bench:lm) it stays at or above the real count, where
 * characters / 4 undercounts id-heavy text by half.
 */
export function estimateTokens(text: string): number {
  let n = 0;
  for (const [piece] of text.matchAll(PIECES)) {
    const c = piece.charCodeAt(piece.length - 1);
    const letters = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    const digits = c >= 48 && c <= 57;
    const core = piece.charCodeAt(0) === 32 && piece.length > 1 ? piece.length - 1 : piece.length;
    n += letters ? Math.ceil(core / 7) : digits || /^\s+$/.test(piece) ? 1 : Math.ceil(core / 2);
  }
  return Math.ceil(n * 1.1);
}

/** Tokens an answer may cost: the default, or less when the caller's budget is smaller (never more). */
export function tokenBudget(requestedTokens?: number): number {
  return requestedTokens === undefined || !Number.isFinite(requestedTokens)
    ? DEFAULT_TOOL_TOKEN_BUDGET
    : Math.max(MIN_TOOL_TOKEN_BUDGET, Math.min(DEFAULT_TOOL_TOKEN_BUDGET, Math.floor(requestedTokens)));
}

/** Counts tokens: the estimate, or the caller's model's own count when VS Code passes one. */
export type TokenCounter = (text: string) => number | PromiseLike<number>;

/**
 * Renders an answer within `maxTokens`: formatters bound their text in characters, so render at a
 * first guess of characters, count, and render again smaller in proportion until it fits; a last resort
 * cuts the text.
 */
export async function fitToTokens(render: (maxChars: number) => string, maxTokens: number, count: TokenCounter = estimateTokens): Promise<string> {
  let maxChars = Math.floor(maxTokens * 3.5);
  let text = render(maxChars);
  for (let i = 0; i < 5; i++) {
    const tokens = await count(text);
    if (tokens <= maxTokens) return text;
    maxChars = Math.floor(Math.min(maxChars, text.length) * (maxTokens / tokens) * 0.97);
    text = render(maxChars);
  }
  return clip(text, Math.floor(maxChars * 0.8));
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** A cut never splits a surrogate pair (half an emoji is not text). */
function safeEnd(text: string, end: number): number {
  const code = text.charCodeAt(end - 1);
  return end > 0 && code >= 0xd800 && code <= 0xdbff ? end - 1 : end;
}

function safeStart(text: string, start: number): number {
  const code = text.charCodeAt(start);
  return start < text.length && code >= 0xdc00 && code <= 0xdfff ? start + 1 : start;
}

/**
 * `text` in at most `max` characters. When it is longer, the head (or with keep 'tail', the end) is kept
 * and a marker says how many characters were cut, so the reader knows the text is incomplete.
 */
export function clip(text: string, max: number, keep: 'head' | 'tail' = 'head'): string {
  if (text.length <= max) return text;
  const marker = (n: number) => (keep === 'head' ? ` …[${n.toLocaleString('en-US')} more characters cut]` : `[${n.toLocaleString('en-US')} earlier characters cut]… `);
  // The marker's length depends on the count it reports; the count can only shrink, so size it for the largest.
  const room = Math.max(0, max - marker(text.length).length);
  if (keep === 'head') {
    const end = safeEnd(text, room);
    return `${text.slice(0, end)}${marker(text.length - end)}`.slice(0, Math.max(max, 0));
  }
  const start = safeStart(text, text.length - room);
  return `${marker(start)}${text.slice(start)}`;
}

/** Text on one line (runs of whitespace, line breaks included, become one space), clipped. */
export function oneLine(text: string, max: number): string {
  return clip(text.replace(/\s+/g, ' ').trim(), max);
}

/** Compact JSON of a value, clipped (a clipped text is no longer JSON, and the marker says so). */
export function compactJson(value: unknown, max: number): string {
  if (value === undefined) return 'none';
  let text: string;
  try {
    text = JSON.stringify(value) ?? 'none';
  } catch {
    // A cycle or a BigInt cannot be JSON; it does not come from a parsed response, but say so anyway.
    text = '(not JSON)';
  }
  return clip(text, max);
}

/**
 * Lines of an answer under a hard cap of characters. Lines are added whole while they fit, or cut to
 * what is left; `reserve` keeps room for the notes that say what was left out, which `note` always adds.
 */
export class BoundedText {
  private readonly lines: string[] = [];
  private used = 0;
  private cut = false;

  constructor(readonly maxChars: number) {}

  /** Characters still free after keeping `reserve` back. */
  remaining(reserve = 0): number {
    return Math.max(0, this.maxChars - reserve - this.used - (this.lines.length > 0 ? 1 : 0));
  }

  get length(): number {
    return this.used + Math.max(0, this.lines.length - 1);
  }

  /** True once a line did not fit or was cut. */
  get truncated(): boolean {
    return this.cut;
  }

  /** Adds a line when it fits whole; otherwise adds nothing and returns false. */
  add(line: string, reserve = 0): boolean {
    if (line.length > this.remaining(reserve)) {
      this.cut = true;
      return false;
    }
    this.push(line);
    return true;
  }

  /** Adds a line, cut to what is free when it does not fit; false (nothing added) when fewer than `min` characters are free. */
  addClipped(line: string, reserve = 0, min = 60): boolean {
    const free = this.remaining(reserve);
    if (line.length <= free) {
      this.push(line);
      return true;
    }
    this.cut = true;
    if (free < min) return false;
    this.push(clip(line, free));
    return true;
  }

  /** Adds a note (what was cut, how to get the rest): it uses the reserve, and is cut only at the hard cap. */
  note(line: string): void {
    const free = this.remaining(0);
    if (free <= 0) return;
    this.push(line.length <= free ? line : clip(line, free));
  }

  private push(line: string): void {
    this.used += line.length;
    this.lines.push(line);
  }

  toString(): string {
    return this.lines.join('\n');
  }
}
