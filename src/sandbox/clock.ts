// Time for the sandbox: real by default; tests inject a ManualClock and drive it with advance().

export interface ClockTimer {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Runs `callback` once, `delayMs` from now on this clock. */
  setTimer(callback: () => void, delayMs: number): ClockTimer;
  /**
   * Registers background work the sandbox started (a python process, an inner HTTP call), so that a
   * manual clock can wait for it to settle before it fires the next timer.
   */
  track(work: Promise<unknown>): void;
}

// setTimeout cannot wait longer than 2^31-1 ms; longer timers are re-armed in steps.
const MAX_NODE_DELAY = 2_147_483_647;

export class RealClock implements Clock {
  now(): number {
    return Date.now();
  }

  setTimer(callback: () => void, delayMs: number): ClockTimer {
    const due = Date.now() + Math.max(0, delayMs);
    let handle: NodeJS.Timeout | undefined;
    let cancelled = false;
    const arm = (): void => {
      const remaining = due - Date.now();
      if (remaining > MAX_NODE_DELAY) {
        handle = setTimeout(arm, MAX_NODE_DELAY);
      } else {
        handle = setTimeout(() => {
          if (!cancelled) callback();
        }, Math.max(0, remaining));
      }
      handle.unref?.();
    };
    arm();
    return {
      cancel: () => {
        cancelled = true;
        if (handle) clearTimeout(handle);
      },
    };
  }

  track(_work: Promise<unknown>): void {
    // Real time needs no bookkeeping: work finishes on its own.
  }
}

interface ManualTimer {
  due: number;
  seq: number;
  callback: () => void;
  cancelled: boolean;
}

/**
 * A clock that only moves when told to. advance(ms) fires due timers in order, and after each one
 * waits until the work it started (tracked promises, pending I/O callbacks) has settled.
 */
export class ManualClock implements Clock {
  private current: number;
  private timers: ManualTimer[] = [];
  private seq = 0;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(start: number | Date = Date.now()) {
    this.current = typeof start === 'number' ? start : start.getTime();
  }

  now(): number {
    return this.current;
  }

  setTimer(callback: () => void, delayMs: number): ClockTimer {
    const timer: ManualTimer = { due: this.current + Math.max(0, delayMs), seq: this.seq++, callback, cancelled: false };
    this.timers.push(timer);
    return {
      cancel: () => {
        timer.cancelled = true;
        this.timers = this.timers.filter((t) => t !== timer);
      },
    };
  }

  track(work: Promise<unknown>): void {
    const entry = work.then(
      () => undefined,
      () => undefined,
    );
    this.inFlight.add(entry);
    void entry.then(() => this.inFlight.delete(entry));
  }

  /** Number of timers that have not fired yet (for tests that check nothing leaks). */
  get pendingTimers(): number {
    return this.timers.length;
  }

  /** When the next timer is due, or undefined when none is armed. */
  get nextDue(): number | undefined {
    return this.nextTimer()?.due;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  async advance(ms: number): Promise<void> {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`ManualClock.advance needs a finite, non-negative number of ms, got ${ms}`);
    const target = this.current + ms;
    await this.settle();
    for (;;) {
      const next = this.nextTimer();
      if (!next || next.due > target) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.current = Math.max(this.current, next.due);
      if (!next.cancelled) next.callback();
      await this.settle();
    }
    this.current = target;
    await this.settle();
  }

  /** Moves time to an absolute instant (never backwards). */
  async advanceTo(time: number | Date): Promise<void> {
    const t = typeof time === 'number' ? time : time.getTime();
    await this.advance(Math.max(0, t - this.current));
  }

  /** Waits until tracked work is done and the event loop has had a few turns to deliver I/O. */
  async settle(): Promise<void> {
    let quietTurns = 0;
    while (quietTurns < 3) {
      if (this.inFlight.size > 0) {
        quietTurns = 0;
        await Promise.all([...this.inFlight]);
        continue;
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
      quietTurns = this.inFlight.size > 0 ? 0 : quietTurns + 1;
    }
  }

  private nextTimer(): ManualTimer | undefined {
    let best: ManualTimer | undefined;
    for (const t of this.timers) {
      if (!best || t.due < best.due || (t.due === best.due && t.seq < best.seq)) best = t;
    }
    return best;
  }
}
