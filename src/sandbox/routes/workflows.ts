// Workflows and workflow versions (REFERENCE §2.1, §2.2).
import * as z from 'zod/mini';
import { ApiError, notFound } from '../api-error';
import { canSeeDataSet, type CapabilityNeed, hasCapability } from '../capabilities';
import { type SandboxContext } from '../context';
import { normalizeDefinition } from '../definition';
import { decodeCursor, encodeCursor } from '../ids';
import { type Principal } from '../identity';
import { type VersionRecord, type WorkflowRecord } from '../model';
import { type Route } from '../router';
import { versionKey } from '../store';
import { externalIdField, internalId, limitField, parseBody, queryBool, queryInt } from '../validation';
import { versionView, workflowView } from '../views';

export const WF_READ: CapabilityNeed = { acl: 'workflowOrchestrationAcl', action: 'READ' };
export const WF_WRITE: CapabilityNeed = { acl: 'workflowOrchestrationAcl', action: 'WRITE' };

/** 403 unless the caller may act on this workflow (data-set scoped capabilities). */
export function assertWorkflowAccess(principal: Principal, need: CapabilityNeed, dataSetId: number | undefined): void {
  if (!hasCapability(principal.capabilities, need, dataSetId)) {
    throw new ApiError(403, `Forbidden: the caller lacks ${need.acl}:${need.action} for data set ${dataSetId ?? '(none)'}.`);
  }
  if (!canSeeDataSet(principal.capabilities, need, dataSetId)) {
    throw new ApiError(403, `Forbidden: the caller's ${need.acl}:${need.action} does not cover ${dataSetId === undefined ? 'workflows without a data set' : `data set ${dataSetId}`}.`);
  }
}

/** The workflow by external id, or 404 (after checking data-set access). */
export function requireWorkflow(ctx: SandboxContext, externalId: string, principal: Principal, need: CapabilityNeed): WorkflowRecord {
  const w = ctx.store.workflows.get(externalId);
  if (!w) throw notFound(`Workflow ${externalId} was not found.`, [{ externalId }]);
  assertWorkflowAccess(principal, need, w.dataSetId);
  return w;
}

const singleItem = <T extends z.ZodMiniType>(item: T) => z.strictObject({ items: z.array(item).check(z.minLength(1), z.maxLength(1)) });

const workflowUpsert = singleItem(
  z.strictObject({
    externalId: externalIdField,
    description: z.optional(z.nullable(z.string().check(z.maxLength(500)))),
    dataSetId: z.optional(z.nullable(internalId)),
    maxConcurrentExecutions: z.optional(z.nullable(z.int().check(z.minimum(1), z.maximum(10000)))),
  }),
);

const deleteWorkflows = z.strictObject({ items: z.array(z.strictObject({ externalId: externalIdField })).check(z.minLength(1), z.maxLength(100)) });

const versionUpsert = z.strictObject({
  items: z
    .array(
      z.strictObject({
        workflowExternalId: externalIdField,
        version: externalIdField,
        workflowDefinition: z.unknown(),
      }),
    )
    .check(z.minLength(1), z.maxLength(1)),
});

const workflowFilter = z.strictObject({ externalId: externalIdField, version: z.optional(z.string().check(z.maxLength(255))) });

const listVersions = z.strictObject({
  filter: z.optional(z.strictObject({ workflowFilters: z.optional(z.array(workflowFilter).check(z.maxLength(100))) })),
  limit: z.optional(limitField),
  cursor: z.optional(z.nullable(z.string())),
});

const deleteVersions = z.strictObject({
  items: z.array(z.strictObject({ workflowExternalId: externalIdField, version: externalIdField })).check(z.minLength(1), z.maxLength(100)),
});

export function workflowRoutes(ctx: SandboxContext): Route[] {
  const { store, clock } = ctx;
  return [
    {
      method: 'POST',
      path: '/workflows',
      scope: 'project',
      needs: [WF_WRITE],
      handler: (req) => {
        const [item] = parseBody(workflowUpsert, req.body).items;
        const now = clock.now();
        const existing = store.workflows.get(item.externalId);
        if (existing) assertWorkflowAccess(req.principal, WF_WRITE, existing.dataSetId);
        assertWorkflowAccess(req.principal, WF_WRITE, item.dataSetId ?? undefined);
        // Upsert replaces: omitted fields are cleared (REFERENCE §2.1).
        const w: WorkflowRecord = {
          externalId: item.externalId,
          createdTime: existing?.createdTime ?? now,
          lastUpdatedTime: now,
          ...(item.description != null ? { description: item.description } : {}),
          ...(item.dataSetId != null ? { dataSetId: item.dataSetId } : {}),
          ...(item.maxConcurrentExecutions != null ? { maxConcurrentExecutions: item.maxConcurrentExecutions } : {}),
        };
        store.workflows.set(w.externalId, w);
        store.changed();
        return { status: 200, body: { items: [workflowView(w)] } };
      },
    },
    {
      method: 'GET',
      path: '/workflows',
      scope: 'project',
      needs: [WF_READ],
      handler: (req) => {
        const limit = queryInt(req.query, 'limit', 100, 1, 1000);
        const cursor = req.query.get('cursor');
        const after = cursor ? decodeCursor<string>('workflows', cursor) : undefined;
        // [emulator] Workflows list in external id order (the real order is not documented).
        const all = [...store.workflows.values()]
          .filter((w) => canSeeDataSet(req.principal.capabilities, WF_READ, w.dataSetId))
          .sort((a, b) => (a.externalId < b.externalId ? -1 : a.externalId > b.externalId ? 1 : 0));
        const start = after === undefined ? 0 : all.findIndex((w) => w.externalId > after);
        const page = start < 0 ? [] : all.slice(start, start + limit);
        const more = start >= 0 && start + limit < all.length;
        return {
          status: 200,
          body: { items: page.map(workflowView), ...(more ? { nextCursor: encodeCursor('workflows', page[page.length - 1].externalId) } : {}) },
        };
      },
    },
    {
      method: 'GET',
      path: '/workflows/:workflowExternalId',
      scope: 'project',
      needs: [WF_READ],
      handler: (req) => ({ status: 200, body: workflowView(requireWorkflow(ctx, req.params['workflowExternalId'], req.principal, WF_READ)) }),
    },
    {
      method: 'POST',
      path: '/workflows/delete',
      scope: 'project',
      needs: [WF_WRITE],
      handler: (req) => {
        const ignoreUnknownIds = queryBool(req.query, 'ignoreUnknownIds', true);
        const { items } = parseBody(deleteWorkflows, req.body);
        const missing = items.filter((i) => !store.workflows.has(i.externalId));
        if (missing.length > 0 && !ignoreUnknownIds) {
          throw new ApiError(404, `Some workflows were not found: ${missing.map((m) => m.externalId).join(', ')}`, { missing });
        }
        for (const i of items) {
          const w = store.workflows.get(i.externalId);
          if (w) assertWorkflowAccess(req.principal, WF_WRITE, w.dataSetId);
        }
        for (const i of items) {
          if (!store.workflows.delete(i.externalId)) continue;
          // [emulator] Deleting a workflow deletes its versions and triggers; past executions stay readable.
          for (const [key, v] of store.versions) if (v.workflowExternalId === i.externalId) store.versions.delete(key);
          for (const [key, t] of store.triggers) if (t.workflowExternalId === i.externalId) store.triggers.delete(key);
        }
        store.changed();
        return { status: 200, body: {} };
      },
    },
    {
      method: 'POST',
      path: '/workflows/versions',
      scope: 'project',
      needs: [WF_WRITE],
      handler: (req) => {
        const [item] = parseBody(versionUpsert, req.body).items;
        const definition = normalizeDefinition(item.workflowDefinition, ['items', 0, 'workflowDefinition']);
        const now = clock.now();
        // A version of a workflow that does not exist yet creates the workflow, as CDF does: the Python
        // SDK's integration tests upsert versions of new workflows without creating them first.
        const w = store.workflows.get(item.workflowExternalId);
        assertWorkflowAccess(req.principal, WF_WRITE, w?.dataSetId);
        if (!w) store.workflows.set(item.workflowExternalId, { externalId: item.workflowExternalId, createdTime: now, lastUpdatedTime: now });
        const key = versionKey(item.workflowExternalId, item.version);
        const existing = store.versions.get(key);
        const v: VersionRecord = {
          workflowExternalId: item.workflowExternalId,
          version: item.version,
          workflowDefinition: definition,
          createdTime: existing?.createdTime ?? now,
          lastUpdatedTime: now,
        };
        store.versions.set(key, v);
        store.changed();
        return { status: 200, body: { items: [versionView(v)] } };
      },
    },
    {
      method: 'POST',
      path: '/workflows/versions/list',
      scope: 'project',
      needs: [WF_READ],
      handler: (req) => {
        const body = parseBody(listVersions, req.body ?? {});
        const limit = body.limit ?? 100;
        const filters = body.filter?.workflowFilters ?? [];
        const matches = (v: VersionRecord): boolean =>
          filters.length === 0 || filters.some((f) => f.externalId === v.workflowExternalId && (f.version === undefined || f.version === v.version));
        const all = [...store.versions.values()]
          .filter(matches)
          .filter((v) => canSeeDataSet(req.principal.capabilities, WF_READ, store.workflows.get(v.workflowExternalId)?.dataSetId))
          .sort((a, b) => a.createdTime - b.createdTime || (versionKey(a.workflowExternalId, a.version) < versionKey(b.workflowExternalId, b.version) ? -1 : 1));
        const keyOf = (v: VersionRecord): [number, string] => [v.createdTime, versionKey(v.workflowExternalId, v.version)];
        let start = 0;
        if (body.cursor) {
          const [t, k] = decodeCursor<[number, string]>('versions', body.cursor);
          start = all.findIndex((v) => v.createdTime > t || (v.createdTime === t && versionKey(v.workflowExternalId, v.version) > k));
          if (start < 0) start = all.length;
        }
        const page = all.slice(start, start + limit);
        const more = start + limit < all.length;
        return {
          status: 200,
          body: { items: page.map(versionView), ...(more ? { nextCursor: encodeCursor('versions', keyOf(page[page.length - 1])) } : {}) },
        };
      },
    },
    {
      method: 'GET',
      path: '/workflows/:workflowExternalId/versions/:version',
      scope: 'project',
      needs: [WF_READ],
      handler: (req) => {
        const xid = req.params['workflowExternalId'];
        const version = req.params['version'];
        const v = store.versions.get(versionKey(xid, version));
        if (!v) throw notFound(`Version ${version} of workflow ${xid} was not found.`, [{ workflowExternalId: xid, version }]);
        assertWorkflowAccess(req.principal, WF_READ, store.workflows.get(xid)?.dataSetId);
        return { status: 200, body: versionView(v) };
      },
    },
    {
      method: 'POST',
      path: '/workflows/versions/delete',
      scope: 'project',
      needs: [WF_WRITE],
      handler: (req) => {
        const ignoreUnknownIds = queryBool(req.query, 'ignoreUnknownIds', true);
        const { items } = parseBody(deleteVersions, req.body);
        const missing = items.filter((i) => !store.versions.has(versionKey(i.workflowExternalId, i.version)));
        if (missing.length > 0 && !ignoreUnknownIds) {
          throw new ApiError(404, `Some workflow versions were not found: ${missing.map((m) => `${m.workflowExternalId}/${m.version}`).join(', ')}`, { missing });
        }
        for (const i of items) assertWorkflowAccess(req.principal, WF_WRITE, store.workflows.get(i.workflowExternalId)?.dataSetId);
        for (const i of items) store.versions.delete(versionKey(i.workflowExternalId, i.version));
        store.changed();
        return { status: 200, body: {} };
      },
    },
  ];
}
