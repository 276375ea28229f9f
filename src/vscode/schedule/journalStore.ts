// The deploy journals (core/schedule/deploy/journal.ts) in globalState: one entry per project, written
// after each change so a crash or a closed window mid-deploy leaves the journal the next run resumes.
// They hold schedule names, cron expressions, schedule data and ids of leftovers; never a secret.
import type * as vscode from 'vscode';
import { type DeployJournal, type JournalStore } from '../../core/schedule/deploy';

export const JOURNAL_STATE_KEY = 'cdfWorkflows.schedule.deployJournals';

export class GlobalStateJournalStore implements JournalStore {
  constructor(private readonly state: vscode.Memento) {}

  get(key: string): unknown {
    return this.all()[key];
  }

  async set(key: string, journal: DeployJournal | undefined): Promise<void> {
    const next = { ...this.all() };
    if (journal === undefined) delete next[key];
    else next[key] = journal;
    await this.state.update(JOURNAL_STATE_KEY, Object.keys(next).length > 0 ? next : undefined);
  }

  private all(): Record<string, unknown> {
    const raw = this.state.get<unknown>(JOURNAL_STATE_KEY);
    return typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  }
}
