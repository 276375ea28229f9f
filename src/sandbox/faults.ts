// Fault injection: the next N requests matching a rule fail in a chosen way (tests of retry paths).

export type FaultKind = 429 | 500 | 502 | 503 | 504 | 'reset-before' | 'reset-after' | 'delay' | 'malformed-json';

export const FAULT_KINDS: readonly FaultKind[] = [429, 500, 502, 503, 504, 'reset-before', 'reset-after', 'delay', 'malformed-json'];

export interface FaultRule {
  /** HTTP method to match (any when absent). */
  method?: string;
  /**
   * Matched against the URL pathname. A string matches when the pathname equals it or ends with it at a
   * '/' boundary, so '/workflows/executions/list' matches '/api/v1/projects/sandbox/workflows/executions/list'.
   */
  path: string | RegExp;
  /** How many matching requests fail; the rule is dropped after that. */
  count: number;
  kind: FaultKind;
  /** Retry-After header value for 429 (default 1). */
  retryAfterSeconds?: number;
  /** How long 'delay' waits before processing (default 1000). */
  delayMs?: number;
}

export function pathMatches(rulePath: string | RegExp, pathname: string): boolean {
  if (rulePath instanceof RegExp) {
    rulePath.lastIndex = 0;
    return rulePath.test(pathname);
  }
  if (pathname === rulePath) return true;
  if (!rulePath.startsWith('/')) return pathname.endsWith(`/${rulePath}`);
  return pathname.endsWith(rulePath);
}

export function validateFaultRule(rule: FaultRule): void {
  if (!rule || typeof rule !== 'object') throw new TypeError('A fault rule must be an object { path, count, kind }.');
  if (!(typeof rule.path === 'string' || rule.path instanceof RegExp)) throw new TypeError('fault rule path must be a string or a RegExp.');
  if (!Number.isInteger(rule.count) || rule.count < 1) throw new TypeError('fault rule count must be a positive integer.');
  if (!FAULT_KINDS.includes(rule.kind)) throw new TypeError(`fault rule kind must be one of ${FAULT_KINDS.join(', ')}.`);
  if (rule.method !== undefined && typeof rule.method !== 'string') throw new TypeError('fault rule method must be a string.');
  if (rule.retryAfterSeconds !== undefined && !(Number.isFinite(rule.retryAfterSeconds) && rule.retryAfterSeconds >= 0)) {
    throw new TypeError('fault rule retryAfterSeconds must be a non-negative number.');
  }
  if (rule.delayMs !== undefined && !(Number.isFinite(rule.delayMs) && rule.delayMs >= 0)) throw new TypeError('fault rule delayMs must be a non-negative number.');
}

export class FaultInjector {
  private rules: { rule: FaultRule; remaining: number }[] = [];

  add(rule: FaultRule): void {
    validateFaultRule(rule);
    this.rules.push({ rule: { ...rule }, remaining: rule.count });
  }

  clear(): void {
    this.rules = [];
  }

  get active(): ReadonlyArray<FaultRule & { remaining: number }> {
    return this.rules.map((r) => ({ ...r.rule, remaining: r.remaining }));
  }

  /** The first rule matching this request, consuming one of its count; rules apply in the order added. */
  take(method: string, pathname: string): FaultRule | undefined {
    for (const entry of this.rules) {
      const { rule } = entry;
      if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) continue;
      if (!pathMatches(rule.path, pathname)) continue;
      entry.remaining--;
      if (entry.remaining <= 0) this.rules = this.rules.filter((r) => r !== entry);
      return rule;
    }
    return undefined;
  }
}
