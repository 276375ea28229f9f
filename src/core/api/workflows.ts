// Workflows (REFERENCE §2.1).
import * as z from 'zod/mini';
import { type CdfHttp } from '../http/cdfHttp';
import { emptyResponse, itemsOf, type Page, pageOf } from '../schemas/common';
import { type Workflow, workflow, type WorkflowUpsert, workflowUpsert } from '../schemas/workflows';
import { CAPABILITY } from './capabilities';
import { paged, type PagedList } from './paging';
import { type CallContext, checkRequest, segment } from './requests';

export interface ListOptions extends CallContext {
  /** Items per page, 1–1000 (API default 100). */
  readonly limit?: number;
  readonly cursor?: string;
}

const workflowPage = pageOf(workflow);
const oneWorkflow = itemsOf(workflow).check(z.refine((b) => b.items.length === 1, { message: 'expected exactly one item', path: ['items'] }));

export class WorkflowsApi {
  constructor(private readonly http: CdfHttp) {}

  /** Creates or replaces (full replace: omitted fields are cleared). */
  async upsert(item: WorkflowUpsert, ctx: CallContext = {}): Promise<Workflow> {
    const body = { items: [checkRequest(workflowUpsert, item, `Workflow "${item.externalId}"`)] };
    const answer = await this.http.post('/workflows', {
      schema: oneWorkflow,
      body,
      idempotent: true,
      capability: CAPABILITY.workflowsWrite,
      signal: ctx.signal,
    });
    return answer.items[0];
  }

  list(options: ListOptions = {}): Promise<Page<Workflow>> {
    return this.http.get('/workflows', {
      schema: workflowPage,
      query: { limit: options.limit, cursor: options.cursor },
      capability: CAPABILITY.workflowsRead,
      signal: options.signal,
    });
  }

  iterate(options: Omit<ListOptions, 'cursor'> = {}): PagedList<Workflow> {
    return paged((cursor) => this.list({ ...options, cursor }), options.signal);
  }

  retrieve(externalId: string, ctx: CallContext = {}): Promise<Workflow> {
    return this.http.get(`/workflows/${segment(externalId)}`, {
      schema: workflow,
      capability: CAPABILITY.workflowsRead,
      subject: `Workflow "${externalId}"`,
      signal: ctx.signal,
    });
  }

  /** Deletes workflows and all their versions. Unknown ids are ignored unless `ignoreUnknownIds` is false. */
  async delete(externalIds: readonly string[], options: CallContext & { ignoreUnknownIds?: boolean } = {}): Promise<void> {
    if (externalIds.length === 0) return;
    for (let i = 0; i < externalIds.length; i += 100) {
      await this.http.post('/workflows/delete', {
        schema: emptyResponse,
        query: { ignoreUnknownIds: options.ignoreUnknownIds ?? true },
        body: { items: externalIds.slice(i, i + 100).map((externalId) => ({ externalId })) },
        idempotent: true,
        capability: CAPABILITY.workflowsWrite,
        signal: options.signal,
      });
    }
  }
}

