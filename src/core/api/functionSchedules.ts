// Function schedules (REFERENCE §4.4): create with a nonce (never resent blindly), list, input data, delete.
import * as z from 'zod/mini';
import { type CdfHttp } from '../http/cdfHttp';
import { emptyResponse, itemsOf } from '../schemas/common';
import {
  type FunctionSchedule,
  functionSchedule,
  type FunctionScheduleCreate,
  functionScheduleCreate,
  type FunctionScheduleFilter,
  functionScheduleInputData,
} from '../schemas/functionSchedules';
import { type SessionCredentials } from '../schemas/sessions';
import { CAPABILITY } from './capabilities';
import { type CallContext, checkRequest, listWithoutCursor, segment } from './requests';
import { type SessionsApi } from './sessions';

const oneSchedule = itemsOf(functionSchedule).check(z.refine((b) => b.items.length === 1, { message: 'expected exactly one item', path: ['items'] }));

export class FunctionSchedulesApi {
  constructor(
    private readonly http: CdfHttp,
    private readonly sessions: SessionsApi,
  ) {}

  /**
   * Creates a schedule that calls the function with `data` on `cronExpression` (UTC), as the session made
   * from `credentials` (e.g. a dedicated service principal; default: the connection's identity).
   */
  async create(
    item: FunctionScheduleCreate,
    options: CallContext & { nonce?: string; credentials?: SessionCredentials } = {},
  ): Promise<FunctionSchedule> {
    const checked = checkRequest(functionScheduleCreate, item, `Schedule "${item.name}"`);
    const nonce = options.nonce ?? (await this.sessions.grant(options.credentials, options)).nonce;
    const answer = await this.http.post('/functions/schedules', {
      schema: oneSchedule,
      body: { items: [{ ...checked, nonce }] },
      idempotent: false,
      capability: CAPABILITY.functionsWrite,
      subject: `Create schedule "${item.name}"`,
      signal: options.signal,
    });
    return answer.items[0];
  }

  /** Schedules, all or filtered (no cursor on this endpoint). */
  list(options: CallContext & { filter?: FunctionScheduleFilter; limit?: number } = {}): Promise<FunctionSchedule[]> {
    return listWithoutCursor(this.http, '/functions/schedules', functionSchedule, CAPABILITY.functionsRead, options);
  }

  retrieve(id: number, ctx: CallContext = {}): Promise<FunctionSchedule> {
    return this.http.get(`/functions/schedules/${segment(id)}`, {
      schema: functionSchedule,
      capability: CAPABILITY.functionsRead,
      subject: `Schedule ${id}`,
      signal: ctx.signal,
    });
  }

  /**
   * The data a schedule passes to its function (write-only on create, readable here). Schedules cannot be
   * updated, so callers may cache it by schedule id. Undefined when the schedule has no data.
   */
  async inputData(id: number, ctx: CallContext = {}): Promise<Record<string, unknown> | undefined> {
    const answer = await this.http.get(`/functions/schedules/${segment(id)}/input_data`, {
      schema: functionScheduleInputData,
      capability: CAPABILITY.functionsRead,
      subject: `Schedule ${id}`,
      signal: ctx.signal,
    });
    return answer.data ?? undefined;
  }

  async delete(ids: readonly number[], ctx: CallContext = {}): Promise<void> {
    if (ids.length === 0) return;
    await this.http.post('/functions/schedules/delete', {
      schema: emptyResponse,
      body: { items: ids.map((id) => ({ id })) },
      idempotent: true,
      capability: CAPABILITY.functionsWrite,
      signal: ctx.signal,
    });
  }
}
