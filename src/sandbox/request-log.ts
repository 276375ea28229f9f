// The record of API requests the sandbox answered, for tests that count calls (retries, polling).

export interface LoggedRequest {
  method: string;
  /** URL pathname, without the query string. */
  path: string;
  /** HTTP status sent; 0 when the connection was reset or abandoned without an answer. */
  status: number;
  /** Clock time (ms since epoch) when the request arrived. */
  time: number;
  requestId: string;
  /** The fault that applied, if any. */
  fault?: string;
}

export interface RequestFilter {
  method?: string;
  path?: string | RegExp;
}

export class RequestLog {
  private entries: LoggedRequest[] = [];

  constructor(private readonly max = 50_000) {}

  get list(): ReadonlyArray<LoggedRequest> {
    return this.entries;
  }

  add(entry: LoggedRequest): void {
    this.entries.push(entry);
    // Keep memory bounded in long-running sandboxes: drop the oldest half.
    if (this.entries.length > this.max) this.entries = this.entries.slice(this.entries.length - Math.floor(this.max / 2));
  }

  /** Requests matching a method and a path (string: pathname equals or ends with it; RegExp: tested). */
  count(filter: RequestFilter = {}): number {
    let n = 0;
    for (const e of this.entries) {
      if (filter.method && e.method.toUpperCase() !== filter.method.toUpperCase()) continue;
      if (filter.path !== undefined) {
        if (filter.path instanceof RegExp) {
          filter.path.lastIndex = 0;
          if (!filter.path.test(e.path)) continue;
        } else if (!(e.path === filter.path || e.path.endsWith(filter.path))) continue;
      }
      n++;
    }
    return n;
  }

  reset(): void {
    this.entries = [];
  }
}
