// Workflow triggers (REFERENCE §2.6): schedule, dataModeling and recordStream rules; upsert, list, delete, pause,
// resume, run history.
import * as z from 'zod/mini';
import { ApiError, notFound } from '../api-error';
import { canSeeDataSet } from '../capabilities';
import { type SandboxContext } from '../context';
import { decodeCursor, encodeCursor } from '../ids';
import { type TriggerRecord } from '../model';
import { type Route } from '../router';
import { cronProblem, isTimeZone } from '../scheduler';
import { versionKey } from '../store';
import { boundedObject, executionMetadata, externalIdField, parseBody, queryInt } from '../validation';
import { triggerView } from '../views';
import { assertWorkflowAccess, WF_READ, WF_WRITE } from './workflows';

/** [emulator] The triggers-per-project limit of the current docs (REFERENCE §2.0). */
const MAX_TRIGGERS = 200;

const scheduleRule = z.strictObject({
  triggerType: z.literal('schedule'),
  cronExpression: z.string().check(z.minLength(1), z.maxLength(1024)),
  timezone: z.optional(z.string().check(z.minLength(1))),
});

const dataModelingRule = z.strictObject({
  triggerType: z.literal('dataModeling'),
  dataModelingQuery: z.strictObject({
    with: z
      .record(z.string(), z.record(z.string(), z.unknown()))
      .check(z.refine((o) => Object.keys(o).length >= 1 && Object.keys(o).length <= 50, { message: 'must have 1 to 50 entries' })),
    select: z
      .record(z.string(), z.record(z.string(), z.unknown()))
      .check(z.refine((o) => Object.keys(o).length >= 1 && Object.keys(o).length <= 50, { message: 'must have 1 to 50 entries' })),
  }),
  batchSize: z.int().check(z.minimum(1), z.maximum(1000)),
  batchTimeout: z.int().check(z.minimum(10), z.maximum(86400)),
});

// Beta and not in the stable spec: the shape the Python SDK and the Toolkit send (REFERENCE §2.6, TOOLKIT.md §6).
const recordStreamRule = z.strictObject({
  triggerType: z.literal('recordStream'),
  streamExternalId: z.string().check(
    z.refine((s) => /^[a-z]([a-z0-9_-]{0,98}[a-z0-9])?$/.test(s), { message: 'must be a stream external id: lower-case letters, digits, "_" and "-", starting with a letter' }),
  ),
  batchSize: z.int().check(z.minimum(1), z.maximum(100)),
  batchTimeout: z.int().check(z.minimum(10), z.maximum(86400)),
  filter: z.optional(z.record(z.string(), z.unknown())),
  sources: z.optional(
    z.array(
      z.strictObject({
        source: z.strictObject({ type: z.literal('container'), space: z.string().check(z.minLength(1)), externalId: z.string().check(z.minLength(1)) }),
        properties: z.array(z.string()).check(z.minLength(1), z.maxLength(1000)),
      }),
    ),
  ),
  initializeCursor: z.optional(z.string().check(z.minLength(1))),
});

const upsertItem = z.strictObject({
  externalId: externalIdField,
  triggerRule: z.record(z.string(), z.unknown()),
  workflowExternalId: externalIdField,
  workflowVersion: externalIdField,
  input: z.optional(z.nullable(boundedObject(100_000, 'must be at most'))),
  metadata: z.optional(z.nullable(executionMetadata)),
  authentication: z.strictObject({ nonce: z.string().check(z.minLength(1)) }),
});

const upsertBody = z.strictObject({ items: z.array(upsertItem).check(z.minLength(1), z.maxLength(1)) });
const deleteBody = z.strictObject({ items: z.array(z.strictObject({ externalId: externalIdField })).check(z.minLength(1), z.maxLength(1)) });

export function triggerRoutes(ctx: SandboxContext): Route[] {
  const { store, clock, sessions, scheduler } = ctx;

  const requireTrigger = (externalId: string, message: string): TriggerRecord => {
    const t = store.triggers.get(externalId);
    if (!t) throw notFound(message, [{ externalId }]);
    return t;
  };

  return [
    {
      method: 'POST',
      path: '/workflows/triggers',
      scope: 'project',
      needs: [WF_WRITE],
      handler: (req) => {
        const [item] = parseBody(upsertBody, req.body).items;
        const i = item;
        const ruleType = i.triggerRule['triggerType'];
        let rule: TriggerRecord['triggerRule'];
        if (ruleType === 'schedule') {
          const r = parseBody(scheduleRule, i.triggerRule, ['items', 0, 'triggerRule']);
          const timezone = r.timezone ?? 'UTC';
          if (!isTimeZone(timezone)) throw new ApiError(400, `items[0].triggerRule.timezone: "${timezone}" is not an IANA time zone name like Europe/Oslo.`);
          const problem = cronProblem(r.cronExpression, timezone);
          if (problem) throw new ApiError(400, `items[0].triggerRule.cronExpression: ${problem}`);
          // The response carries timezone "UTC" when none was sent (REFERENCE §2.6).
          rule = { triggerType: 'schedule', cronExpression: r.cronExpression, timezone };
        } else if (ruleType === 'dataModeling') {
          const r = parseBody(dataModelingRule, i.triggerRule, ['items', 0, 'triggerRule']);
          rule = { ...r };
        } else if (ruleType === 'recordStream') {
          // [emulator] Stored and listed; the sandbox has no record streams, so it never fires.
          rule = { ...parseBody(recordStreamRule, i.triggerRule, ['items', 0, 'triggerRule']) };
        } else {
          throw new ApiError(400, 'items[0].triggerRule.triggerType: must be one of "schedule", "dataModeling", "recordStream"');
        }
        const workflow = store.workflows.get(i.workflowExternalId);
        // [emulator] The workflow version must exist when the trigger is created.
        if (!workflow || !store.versions.has(versionKey(i.workflowExternalId, i.workflowVersion))) {
          throw new ApiError(400, `items[0].workflowVersion: workflow ${i.workflowExternalId} has no version ${i.workflowVersion}. Create the version before its trigger.`, {
            missing: [{ externalId: i.workflowExternalId, version: i.workflowVersion }],
          });
        }
        assertWorkflowAccess(req.principal, WF_WRITE, workflow.dataSetId);
        const existing = store.triggers.get(i.externalId);
        if (!existing && store.triggers.size >= MAX_TRIGGERS) throw new ApiError(400, `The project already has ${MAX_TRIGGERS} triggers, the most it may have.`);
        const session = sessions.bindNonce(i.authentication.nonce, 'items[0].authentication.nonce');
        const now = clock.now();
        const t: TriggerRecord = {
          externalId: i.externalId,
          triggerRule: rule,
          workflowExternalId: i.workflowExternalId,
          workflowVersion: i.workflowVersion,
          isPaused: existing?.isPaused ?? false,
          createdTime: existing?.createdTime ?? now,
          lastUpdatedTime: now,
          sessionId: session.id,
          history: existing?.history ?? [],
          ...(i.input != null ? { input: i.input } : {}),
          ...(i.metadata != null ? { metadata: i.metadata } : {}),
        };
        store.triggers.set(t.externalId, t);
        scheduler.armTrigger(t);
        store.changed();
        return { status: 200, body: { items: [triggerView(t)] } };
      },
    },
    {
      method: 'GET',
      path: '/workflows/triggers',
      scope: 'project',
      needs: [WF_READ],
      handler: (req) => {
        const limit = queryInt(req.query, 'limit', 100, 1, 1000);
        const cursor = req.query.get('cursor');
        const after = cursor ? decodeCursor<string>('triggers', cursor) : undefined;
        const all = [...store.triggers.values()]
          .filter((t) => canSeeDataSet(req.principal.capabilities, WF_READ, store.workflows.get(t.workflowExternalId)?.dataSetId))
          .sort((a, b) => (a.externalId < b.externalId ? -1 : a.externalId > b.externalId ? 1 : 0));
        const start = after === undefined ? 0 : all.findIndex((t) => t.externalId > after);
        const page = start < 0 ? [] : all.slice(start, start + limit);
        const more = start >= 0 && start + limit < all.length;
        return { status: 200, body: { items: page.map(triggerView), ...(more ? { nextCursor: encodeCursor('triggers', page[page.length - 1].externalId) } : {}) } };
      },
    },
    {
      method: 'POST',
      path: '/workflows/triggers/delete',
      scope: 'project',
      needs: [WF_WRITE],
      handler: (req) => {
        const { items } = parseBody(deleteBody, req.body);
        const t = requireTrigger(items[0].externalId, 'Workflow trigger not found.');
        assertWorkflowAccess(req.principal, WF_WRITE, store.workflows.get(t.workflowExternalId)?.dataSetId);
        store.triggers.delete(t.externalId);
        scheduler.disarmTrigger(t.externalId);
        store.changed();
        return { status: 200, body: {} };
      },
    },
    {
      method: 'GET',
      path: '/workflows/triggers/:triggerExternalId/history',
      scope: 'project',
      needs: [WF_READ],
      handler: (req) => {
        const t = requireTrigger(req.params['triggerExternalId'], 'Workflow trigger not found.');
        const limit = queryInt(req.query, 'limit', 100, 1, 1000);
        const cursor = req.query.get('cursor');
        // Newest first; the cursor is the fireTime of the last item (stable while new runs arrive).
        let start = 0;
        if (cursor) {
          const before = decodeCursor<number>(`history:${t.externalId}`, cursor);
          start = t.history.findIndex((h) => h.fireTime < before);
          if (start < 0) start = t.history.length;
        }
        const page = t.history.slice(start, start + limit);
        const more = start + limit < t.history.length;
        const last = page[page.length - 1];
        return { status: 200, body: { items: page, ...(more && last ? { nextCursor: encodeCursor(`history:${t.externalId}`, last.fireTime) } : {}) } };
      },
    },
    {
      method: 'POST',
      path: '/workflows/triggers/:triggerExternalId/pause',
      scope: 'project',
      needs: [WF_WRITE],
      handler: (req) => {
        const t = requireTrigger(req.params['triggerExternalId'], 'Trigger not found.');
        t.isPaused = true;
        t.lastUpdatedTime = clock.now();
        store.changed();
        return { status: 200, body: {} };
      },
    },
    {
      method: 'POST',
      path: '/workflows/triggers/:triggerExternalId/resume',
      scope: 'project',
      needs: [WF_WRITE],
      handler: (req) => {
        const t = requireTrigger(req.params['triggerExternalId'], 'Trigger not found.');
        t.isPaused = false;
        t.lastUpdatedTime = clock.now();
        store.changed();
        return { status: 200, body: {} };
      },
    },
  ];
}
