// Workflow triggers (REFERENCE §2.6): upsert with a fresh nonce, list, delete, pause, resume, history.
import * as z from 'zod/mini';
import { type CdfHttp } from '../http/cdfHttp';
import { emptyResponse, itemsOf, type Page, pageOf } from '../schemas/common';
import { type SessionCredentials } from '../schemas/sessions';
import { type Trigger, trigger, type TriggerRun, triggerRun, type TriggerUpsertItem, triggerUpsertItem } from '../schemas/triggers';
import { CAPABILITY } from './capabilities';
import { paged, type PagedList } from './paging';
import { type CallContext, checkRequest, segment } from './requests';
import { type SessionsApi } from './sessions';

export interface TriggerListOptions extends CallContext {
  readonly limit?: number;
  readonly cursor?: string;
}

export type { TriggerUpsertItem };

const oneTrigger = itemsOf(trigger).check(z.refine((b) => b.items.length === 1, { message: 'expected exactly one item', path: ['items'] }));

export class TriggersApi {
  constructor(
    private readonly http: CdfHttp,
    private readonly sessions: SessionsApi,
  ) {}

  /**
   * Creates or replaces a trigger. Each upsert needs a fresh nonce: pass one, or the client creates a
   * session from `credentials` (default: the connection's identity).
   */
  async upsert(item: TriggerUpsertItem, options: CallContext & { nonce?: string; credentials?: SessionCredentials } = {}): Promise<Trigger> {
    const checked = checkRequest(triggerUpsertItem, item, `Trigger "${item.externalId}"`);
    const nonce = options.nonce ?? (await this.sessions.grant(options.credentials, options)).nonce;
    const answer = await this.http.post('/workflows/triggers', {
      schema: oneTrigger,
      body: { items: [{ ...checked, authentication: { nonce } }] },
      idempotent: true,
      capability: CAPABILITY.workflowsWrite,
      subject: `Trigger "${item.externalId}"`,
      signal: options.signal,
    });
    return answer.items[0];
  }

  list(options: TriggerListOptions = {}): Promise<Page<Trigger>> {
    return this.http.get('/workflows/triggers', {
      schema: pageOf(trigger),
      query: { limit: options.limit, cursor: options.cursor },
      capability: CAPABILITY.workflowsRead,
      signal: options.signal,
    });
  }

  iterate(options: Omit<TriggerListOptions, 'cursor'> = {}): PagedList<Trigger> {
    return paged((cursor) => this.list({ ...options, cursor }), options.signal);
  }

  async delete(externalId: string, ctx: CallContext = {}): Promise<void> {
    await this.http.post('/workflows/triggers/delete', {
      schema: emptyResponse,
      body: { items: [{ externalId }] },
      idempotent: true,
      capability: CAPABILITY.workflowsWrite,
      subject: `Trigger "${externalId}"`,
      signal: ctx.signal,
    });
  }

  async pause(externalId: string, ctx: CallContext = {}): Promise<void> {
    await this.http.post(`/workflows/triggers/${segment(externalId)}/pause`, {
      schema: emptyResponse,
      idempotent: true,
      capability: CAPABILITY.workflowsWrite,
      subject: `Trigger "${externalId}"`,
      signal: ctx.signal,
    });
  }

  async resume(externalId: string, ctx: CallContext = {}): Promise<void> {
    await this.http.post(`/workflows/triggers/${segment(externalId)}/resume`, {
      schema: emptyResponse,
      idempotent: true,
      capability: CAPABILITY.workflowsWrite,
      subject: `Trigger "${externalId}"`,
      signal: ctx.signal,
    });
  }

  /** Fire history, newest first. */
  history(externalId: string, options: TriggerListOptions = {}): Promise<Page<TriggerRun>> {
    return this.http.get(`/workflows/triggers/${segment(externalId)}/history`, {
      schema: pageOf(triggerRun),
      query: { limit: options.limit, cursor: options.cursor },
      capability: CAPABILITY.workflowsRead,
      subject: `Trigger "${externalId}"`,
      signal: options.signal,
    });
  }

  iterateHistory(externalId: string, options: Omit<TriggerListOptions, 'cursor'> = {}): PagedList<TriggerRun> {
    return paged((cursor) => this.history(externalId, { ...options, cursor }), options.signal);
  }
}
