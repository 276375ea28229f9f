// What every node of the workflows tree may use: the services it reads from, the way to announce changes,
// the status filter, and the session caches.
import { type Services } from '../services';
import { type ExecutionFilterState } from './executionFilter';
import { type TreeChanges } from './node';

/** Input data of function schedules by connection and schedule id. Schedules cannot be updated (only
 *  deleted and re-created with a new id), so an entry stays right for the whole session. */
export class ScheduleDataCache {
  private readonly entries = new Map<string, Record<string, unknown> | undefined>();

  private static key(connection: string, scheduleId: number): string {
    return `${connection}\u0000${scheduleId}`;
  }

  has(connection: string, scheduleId: number): boolean {
    return this.entries.has(ScheduleDataCache.key(connection, scheduleId));
  }

  get(connection: string, scheduleId: number): Record<string, unknown> | undefined {
    return this.entries.get(ScheduleDataCache.key(connection, scheduleId));
  }

  set(connection: string, scheduleId: number, data: Record<string, unknown> | undefined): void {
    this.entries.set(ScheduleDataCache.key(connection, scheduleId), data);
  }
}

/** The services the tree and its nodes use (the tree is built before the rest of Services). */
export type TreeServices = Pick<Services, 'context' | 'log' | 'connections' | 'tracker'>;

export interface TreeContext {
  readonly services: TreeServices;
  readonly changes: TreeChanges;
  readonly filter: ExecutionFilterState;
  readonly scheduleData: ScheduleDataCache;
}
