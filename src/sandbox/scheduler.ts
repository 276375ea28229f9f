// Fires function schedules (cron in UTC) and workflow schedule triggers (cron + time zone) on the sandbox
// clock, with their data and session, and keeps trigger history. [emulator] dataModeling triggers are
// stored and listed but never fire: the sandbox has no data modeling service to watch.
import { Cron, type CronOptions } from 'croner';
import cronstrue from 'cronstrue';
import { type Clock, type ClockTimer } from './clock';
import { type ExecutionEngine } from './engine';
import { type FunctionRunner } from './function-runner';
import { type ScheduleRecord, type TriggerRecord, type TriggerRun } from './model';
import { type SessionService } from './sessions';
import { type Store, versionKey } from './store';

const MAX_HISTORY = 1000;

/**
 * UNIX (Vixie) cron as CDF documents it: five fields, minute first (croner would otherwise read a sixth
 * leading field as seconds); day-of-month OR day-of-week when both are restricted (croner's domAndDow:
 * false); 0 and 7 are Sunday; `5/15` means 5-59/15 (sloppyRanges). Daylight saving time: a job at fixed
 * times (no `*` or step in its minute and hour fields) whose time falls in a spring-forward gap fires once,
 * at the first minute after the gap, and once only when fall-back repeats its time (the first
 * occurrence); a repeating job skips the minutes of a gap and fires in both occurrences of a repeated
 * hour (fixedTimeRule 'no-wildcard', Vixie cron's rule). The extension's schedule preview
 * (src/core/schedule/cron.ts) reads cron the same way, so what it shows is what fires here.
 */
const CRON_OPTIONS = { mode: '5-part', domAndDow: false, sloppyRanges: true, fixedTimeRule: 'no-wildcard' } as const satisfies CronOptions;

/** Why a cron expression is not a standard 5-field UNIX cron, or undefined when it is fine. */
export function cronProblem(expression: string, timezone = 'UTC'): string | undefined {
  const fields = expression.trim().split(/\s+/);
  if (expression.trim().startsWith('@')) return 'must be a 5-field cron expression (minute hour day-of-month month day-of-week), not a macro like @daily';
  if (fields.length !== 5) return `must have 5 fields (minute hour day-of-month month day-of-week), it has ${fields.length}`;
  // sloppyRanges would read a bare "/10" as */10; UNIX cron wants a start before the step.
  const bareStep = fields.find((f) => /(^|,)\//.test(f));
  if (bareStep !== undefined) return `is not a valid cron expression: "${bareStep}" has a step without a start; write */n or a-b/n`;
  let first: Date | null;
  try {
    // From 2000, a leap year, so that 29 February counts as firing.
    first = new Cron(expression, { ...CRON_OPTIONS, timezone }).nextRun(new Date(Date.UTC(2000, 0, 1)));
  } catch (err) {
    return `is not a valid cron expression: ${(err as Error).message}`;
  }
  if (first === null) return 'never fires: no month in its month field has the day in its day-of-month field (like 30 February)';
  return undefined;
}

/** A human description of a cron expression, like the `when` field CDF returns ("At 10:00 PM"). */
export function describeCron(expression: string): string {
  try {
    return cronstrue.toString(expression, { use24HourTimeFormat: false, verbose: false });
  } catch {
    return expression;
  }
}

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The first fire time strictly after `after` (ms); throws for an expression cronProblem refuses. */
export function nextFireTime(expression: string, after: number, timezone = 'UTC'): number {
  const next = new Cron(expression, { ...CRON_OPTIONS, timezone }).nextRun(new Date(after));
  if (next === null) throw new Error(`The cron expression "${expression}" never fires.`);
  return next.getTime();
}

export interface SchedulerDeps {
  store: Store;
  clock: Clock;
  sessions: SessionService;
  engine: ExecutionEngine;
  functions: FunctionRunner;
  log: (line: string) => void;
}

export class Scheduler {
  private readonly scheduleTimers = new Map<number, ClockTimer>();
  private readonly triggerTimers = new Map<string, ClockTimer>();
  private closed = false;

  constructor(private readonly d: SchedulerDeps) {}

  /** Arms every stored schedule and trigger (start and restart). */
  armAll(): void {
    for (const s of this.d.store.schedules.values()) this.armSchedule(s);
    for (const t of this.d.store.triggers.values()) this.armTrigger(t);
  }

  armSchedule(s: ScheduleRecord): void {
    this.scheduleTimers.get(s.id)?.cancel();
    if (this.closed) return;
    const now = this.d.clock.now();
    let due: number;
    try {
      due = nextFireTime(s.cronExpression, now, 'UTC');
    } catch {
      return;
    }
    this.scheduleTimers.set(
      s.id,
      this.d.clock.setTimer(() => {
        this.scheduleTimers.delete(s.id);
        if (!this.d.store.schedules.has(s.id)) return;
        this.fireSchedule(s, due);
        this.armSchedule(s);
      }, due - now),
    );
  }

  disarmSchedule(id: number): void {
    this.scheduleTimers.get(id)?.cancel();
    this.scheduleTimers.delete(id);
  }

  armTrigger(t: TriggerRecord): void {
    this.triggerTimers.get(t.externalId)?.cancel();
    this.triggerTimers.delete(t.externalId);
    if (this.closed || t.triggerRule.triggerType !== 'schedule') return;
    const cron = String(t.triggerRule['cronExpression']);
    const tz = typeof t.triggerRule['timezone'] === 'string' ? t.triggerRule['timezone'] : 'UTC';
    const now = this.d.clock.now();
    let due: number;
    try {
      due = nextFireTime(cron, now, tz);
    } catch {
      return;
    }
    this.triggerTimers.set(
      t.externalId,
      this.d.clock.setTimer(() => {
        this.triggerTimers.delete(t.externalId);
        const current = this.d.store.triggers.get(t.externalId);
        if (current !== t) return; // deleted or replaced (the replacement armed its own timer)
        if (!t.isPaused) this.fireTrigger(t, due);
        this.armTrigger(t);
      }, due - now),
    );
  }

  disarmTrigger(externalId: string): void {
    this.triggerTimers.get(externalId)?.cancel();
    this.triggerTimers.delete(externalId);
  }

  close(): void {
    this.closed = true;
    for (const t of this.scheduleTimers.values()) t.cancel();
    for (const t of this.triggerTimers.values()) t.cancel();
    this.scheduleTimers.clear();
    this.triggerTimers.clear();
  }

  private fireSchedule(s: ScheduleRecord, scheduledTime: number): void {
    const fn = this.d.store.functions.get(s.functionId);
    if (!fn) return;
    try {
      this.d.functions.startCall(fn, s.data ?? {}, { sessionId: s.sessionId, scheduleId: s.id, scheduledTime });
    } catch (err) {
      // Not ready or throttled: CDF skips the tick; the sandbox says so on stderr.
      this.d.log(`sandbox: schedule ${s.id} (${s.name}) did not call function ${fn.id}: ${(err as Error).message}`);
    }
  }

  private fireTrigger(t: TriggerRecord, fireTime: number): void {
    const run: TriggerRun = {
      externalId: t.externalId,
      fireTime,
      workflowExternalId: t.workflowExternalId,
      workflowVersion: t.workflowVersion,
      workflowExecutionId: null,
      status: 'failed',
      reasonForFailure: null,
    };
    const workflow = this.d.store.workflows.get(t.workflowExternalId);
    const version = this.d.store.versions.get(versionKey(t.workflowExternalId, t.workflowVersion));
    if (!workflow || !version) run.reasonForFailure = `Workflow ${t.workflowExternalId} version ${t.workflowVersion} was not found.`;
    else if (!this.d.sessions.isUsable(t.sessionId)) run.reasonForFailure = 'The trigger session has been revoked; upsert the trigger with a new nonce.';
    else {
      // Executions started by a trigger get the trigger's input plus the system field `version`.
      const e = this.d.engine.run(workflow, version, {
        sessionId: t.sessionId,
        input: { ...(t.input ?? {}), version: t.workflowVersion },
        ...(t.metadata ? { metadata: t.metadata } : {}),
      });
      run.status = 'success';
      run.workflowExecutionId = e.id;
    }
    t.history.unshift(run);
    if (t.history.length > MAX_HISTORY) t.history.length = MAX_HISTORY;
    this.d.store.changed();
  }
}
