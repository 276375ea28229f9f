// The deploy journal: what a deploy that stopped half-way still owes, kept outside CDF (the extension
// keeps it in globalState) so the next deploy on the same project finishes the job. Two things:
// - schedules to restore on the trigger function (taken from a function being replaced, or a schedule
//   being edited), so no schedule is lost when a step fails between deleting and re-creating;
// - leftovers to remove (an uploaded zip, an unused session, a failed function) when removing them
//   failed at the time, so nothing stays orphaned.
// It never holds a secret: schedule data is what CDF keeps readable anyway (input_data), never credentials.
import * as z from 'zod/mini';
import '../../schemas/messages';

export const journalSchedule = z.object({
  name: z.string().check(z.minLength(1)),
  cronExpression: z.string().check(z.minLength(1)),
  description: z.optional(z.string()),
  data: z.record(z.string(), z.unknown()),
});
export type JournalSchedule = z.output<typeof journalSchedule>;

export const leftover = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('file'), id: z.optional(z.int()), externalId: z.optional(z.string()) }),
  z.object({ kind: z.literal('session'), id: z.int() }),
  z.object({ kind: z.literal('function'), id: z.int() }),
]);
export type Leftover = z.output<typeof leftover>;

export const deployJournal = z.object({
  version: z.literal(1),
  /**
   * Schedules to restore. They name their workflow in their data, so they go onto whichever trigger
   * function the next deploy on the project targets.
   */
  pending: z.array(journalSchedule),
  leftovers: z.array(leftover),
});
export type DeployJournal = z.output<typeof deployJournal>;

/** Where journals live: one per project (key from journalKey). Plain data in, plain data out. */
export interface JournalStore {
  get(key: string): unknown;
  set(key: string, journal: DeployJournal | undefined): Promise<void>;
}

/** A journal per project of a cluster: the same project name on two clusters is two projects. */
export function journalKey(baseUrl: string, project: string): string {
  return `${baseUrl.replace(/\/+$/, '')}|${project}`;
}

/** An in-memory store (tests, and callers that need no persistence). */
export class MemoryJournalStore implements JournalStore {
  private readonly entries = new Map<string, DeployJournal>();

  get(key: string): unknown {
    const j = this.entries.get(key);
    return j === undefined ? undefined : structuredClone(j);
  }

  set(key: string, journal: DeployJournal | undefined): Promise<void> {
    if (journal === undefined || isEmpty(journal)) this.entries.delete(key);
    else this.entries.set(key, structuredClone(journal));
    return Promise.resolve();
  }
}

export function isEmpty(journal: DeployJournal): boolean {
  return journal.pending.length === 0 && journal.leftovers.length === 0;
}

/**
 * The journal of one project, read once and written through after each change. A journal that no longer
 * parses (written by another version) is dropped with a warning rather than blocking every deploy.
 */
export class ProjectJournal {
  private current: DeployJournal;

  constructor(
    private readonly store: JournalStore,
    readonly key: string,
    onUnreadable?: (problem: string) => void,
  ) {
    const raw = store.get(key);
    const parsed = raw === undefined ? undefined : deployJournal.safeParse(raw);
    if (parsed && !parsed.success) onUnreadable?.(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    this.current = parsed?.success ? parsed.data : { version: 1, pending: [], leftovers: [] };
  }

  get journal(): Readonly<DeployJournal> {
    return this.current;
  }

  /** Schedules waiting to be restored. */
  get pending(): readonly JournalSchedule[] {
    return this.current.pending;
  }

  get leftovers(): readonly Leftover[] {
    return this.current.leftovers;
  }

  /** Adds schedules to restore; one with the same name replaces the earlier entry. */
  async addPending(schedules: readonly JournalSchedule[]): Promise<void> {
    if (schedules.length === 0) return;
    const names = new Set(schedules.map((s) => s.name));
    this.current = { ...this.current, pending: [...this.current.pending.filter((s) => !names.has(s.name)), ...structuredClone(schedules)] };
    await this.save();
  }

  async removePending(name: string): Promise<void> {
    const pending = this.current.pending.filter((s) => s.name !== name);
    if (pending.length === this.current.pending.length) return;
    this.current = { ...this.current, pending };
    await this.save();
  }

  async addLeftover(item: Leftover): Promise<void> {
    if (this.current.leftovers.some((l) => sameLeftover(l, item))) return;
    this.current = { ...this.current, leftovers: [...this.current.leftovers, item] };
    await this.save();
  }

  async removeLeftover(item: Leftover): Promise<void> {
    const leftovers = this.current.leftovers.filter((l) => !sameLeftover(l, item));
    if (leftovers.length === this.current.leftovers.length) return;
    this.current = { ...this.current, leftovers };
    await this.save();
  }

  private save(): Promise<void> {
    return this.store.set(this.key, isEmpty(this.current) ? undefined : this.current);
  }
}

function sameLeftover(a: Leftover, b: Leftover): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'file' && b.kind === 'file') return (a.id !== undefined && a.id === b.id) || (a.id === undefined && b.id === undefined && a.externalId === b.externalId);
  return (a as { id: number }).id === (b as { id: number }).id;
}
