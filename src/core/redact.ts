// Masking of secrets and tokens in text that leaves the client: log lines and error messages.
// Two layers: exact values the client knows are secret (client secrets, tokens, nonces), and patterns
// that look like credentials whatever their value (Bearer headers, JWTs, `client_secret=` pairs).
import { type Logger } from './log';

export const MASK = '***';

// Shorter values would mask ordinary words; real secrets and tokens are much longer.
const MIN_SECRET_LENGTH = 6;

const CREDENTIAL_PATTERNS: readonly [RegExp, string][] = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${MASK}`],
  // Three base64url segments starting with a JSON header: a JWT wherever it appears.
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, MASK],
  // key=value in forms and query strings, "key": "value" in JSON.
  [
    /\b(client_secret|access_token|refresh_token|id_token|device_code|password|assertion|code_verifier)=([^&\s"']+)/gi,
    `$1=${MASK}`,
  ],
  [
    /("(?:clientSecret|client_secret|access_token|accessToken|refresh_token|refreshToken|id_token|nonce|token|password|secret)"\s*:\s*)"[^"]*"/gi,
    `$1"${MASK}"`,
  ],
];

/** Masks values that look like credentials, whatever they are. */
export function maskCredentialPatterns(text: string): string {
  let out = text;
  for (const [pattern, replacement] of CREDENTIAL_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** Knows the secrets of one client (added as they appear) and masks them and credential patterns. */
export class Redactor {
  private readonly secrets = new Set<string>();
  private sorted: string[] = [];

  /** Remembers a value that must never appear in text; short or empty values are ignored. */
  add(secret: string | undefined): void {
    if (secret === undefined || secret.length < MIN_SECRET_LENGTH || this.secrets.has(secret)) return;
    this.secrets.add(secret);
    // Longest first, so a secret containing another is masked whole.
    this.sorted = [...this.secrets].sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.sorted) {
      if (out.includes(secret)) out = out.split(secret).join(MASK);
    }
    return maskCredentialPatterns(out);
  }
}

/** Masks every string inside a JSON-like value (keys included); other values are kept. */
export function redactDeep<T>(value: T, redactor: Redactor): T {
  if (typeof value === 'string') return redactor.redact(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => redactDeep(v, redactor)) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [redactor.redact(k), redactDeep(v, redactor)])) as T;
  }
  return value;
}

/** How much text from a server goes into a message a person reads; the rest goes to the log. */
export const SERVER_TEXT_MAX = 300;

/** `text` cut to `max` UTF-16 units (never inside a surrogate pair) with an ellipsis; `cut` says whether anything was left out. */
export function capText(text: string, max = SERVER_TEXT_MAX): { text: string; cut: boolean } {
  if (text.length <= max) return { text, cut: false };
  const last = text.charCodeAt(max - 1);
  const end = last >= 0xd800 && last <= 0xdbff ? max - 1 : max;
  return { text: `${text.slice(0, end)}…`, cut: true };
}

/** A Logger that masks every line before it reaches `inner`. */
export function redactingLogger(inner: Logger, redactor: Redactor): Logger {
  return {
    trace: (m) => inner.trace(redactor.redact(m)),
    debug: (m) => inner.debug(redactor.redact(m)),
    info: (m) => inner.info(redactor.redact(m)),
    warn: (m) => inner.warn(redactor.redact(m)),
    error: (m) => inner.error(redactor.redact(m)),
  };
}
