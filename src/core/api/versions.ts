// Workflow versions (REFERENCE §2.2).
import * as z from 'zod/mini';
import { type CdfHttp } from '../http/cdfHttp';
import { emptyResponse, itemsOf, type Page, pageOf } from '../schemas/common';
import {
  type WorkflowVersion,
  workflowVersion,
  type WorkflowVersionId,
  type WorkflowVersionUpsert,
  workflowVersionUpsert,
} from '../schemas/workflows';
import { CAPABILITY } from './capabilities';
import { paged, type PagedList } from './paging';
import { type CallContext, checkRequest, segment } from './requests';

export interface VersionListOptions extends CallContext {
  /** Versions of these workflows (optionally one version each); omitted = all versions of all workflows. */
  readonly workflowFilters?: readonly { externalId: string; version?: string }[];
  readonly limit?: number;
  readonly cursor?: string;
}

const versionPage = pageOf(workflowVersion);
const oneVersion = itemsOf(workflowVersion).check(z.refine((b) => b.items.length === 1, { message: 'expected exactly one item', path: ['items'] }));

export class VersionsApi {
  constructor(private readonly http: CdfHttp) {}

  /** Creates a version or replaces its definition. The workflow must exist first. */
  async upsert(item: WorkflowVersionUpsert, ctx: CallContext = {}): Promise<WorkflowVersion> {
    const body = { items: [checkRequest(workflowVersionUpsert, item, `Version ${item.workflowExternalId}/${item.version}`)] };
    const answer = await this.http.post('/workflows/versions', {
      schema: oneVersion,
      body,
      idempotent: true,
      capability: CAPABILITY.workflowsWrite,
      subject: `Workflow "${item.workflowExternalId}"`,
      signal: ctx.signal,
    });
    return answer.items[0];
  }

  list(options: VersionListOptions = {}): Promise<Page<WorkflowVersion>> {
    return this.http.post('/workflows/versions/list', {
      schema: versionPage,
      body: { filter: { workflowFilters: options.workflowFilters ?? [] }, limit: options.limit, cursor: options.cursor },
      idempotent: true,
      capability: CAPABILITY.workflowsRead,
      signal: options.signal,
    });
  }

  iterate(options: Omit<VersionListOptions, 'cursor'> = {}): PagedList<WorkflowVersion> {
    return paged((cursor) => this.list({ ...options, cursor }), options.signal);
  }

  retrieve(workflowExternalId: string, version: string, ctx: CallContext = {}): Promise<WorkflowVersion> {
    return this.http.get(`/workflows/${segment(workflowExternalId)}/versions/${segment(version)}`, {
      schema: workflowVersion,
      capability: CAPABILITY.workflowsRead,
      subject: `Version ${workflowExternalId}/${version}`,
      signal: ctx.signal,
    });
  }

  async delete(ids: readonly WorkflowVersionId[], options: CallContext & { ignoreUnknownIds?: boolean } = {}): Promise<void> {
    for (let i = 0; i < ids.length; i += 100) {
      await this.http.post('/workflows/versions/delete', {
        schema: emptyResponse,
        query: { ignoreUnknownIds: options.ignoreUnknownIds ?? true },
        body: { items: ids.slice(i, i + 100).map(({ workflowExternalId, version }) => ({ workflowExternalId, version })) },
        idempotent: true,
        capability: CAPABILITY.workflowsWrite,
        signal: options.signal,
      });
    }
  }
}
