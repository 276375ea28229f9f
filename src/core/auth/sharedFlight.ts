// One in-flight token request shared by every caller that waits for it. A caller that aborts stops
// waiting without disturbing the others; when the last one leaves, an interactive flight is aborted too.
import { CancelledError } from '../errors';

export class SharedFlight<T> {
  private current?: { promise: Promise<T>; controller: AbortController; waiters: number; abortWhenUnwatched: boolean };

  get inFlight(): boolean {
    return this.current !== undefined;
  }

  /**
   * Joins the running flight or starts one with `run`. `abortWhenUnwatched` ends the flight when every
   * waiter has aborted (device code sign-in); otherwise it completes for the cache.
   */
  join(run: (signal: AbortSignal) => Promise<T>, signal: AbortSignal | undefined, abortWhenUnwatched = false): Promise<T> {
    if (signal?.aborted) return Promise.reject(new CancelledError());
    const flight = this.current ?? this.start(run, abortWhenUnwatched);
    if (!signal) return flight.promise;
    flight.waiters++;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        leave();
        reject(new CancelledError());
      };
      let left = false;
      const leave = () => {
        if (left) return;
        left = true;
        signal.removeEventListener('abort', onAbort);
        flight.waiters--;
        if (flight.waiters === 0 && flight.abortWhenUnwatched && this.current === flight) flight.controller.abort();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      flight.promise.then(
        (value) => {
          leave();
          resolve(value);
        },
        (error: unknown) => {
          leave();
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  /** Starts a flight nobody waits for (an early refresh); returns its promise, already guarded against unhandled rejection. */
  background(run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const flight = this.current ?? this.start(run, false);
    flight.promise.catch(() => undefined);
    return flight.promise;
  }

  private start(run: (signal: AbortSignal) => Promise<T>, abortWhenUnwatched: boolean) {
    const controller = new AbortController();
    const flight = { promise: undefined as unknown as Promise<T>, controller, waiters: 0, abortWhenUnwatched };
    flight.promise = run(controller.signal).finally(() => {
      if (this.current === flight) this.current = undefined;
    });
    // Waiters attach their own handlers; this one only keeps an unwatched failure from being "unhandled".
    flight.promise.catch(() => undefined);
    this.current = flight;
    return flight;
  }
}
