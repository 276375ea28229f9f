// Executions and task updates (REFERENCE §2.5).
import * as z from 'zod/mini';
import { ApiError, notFound } from '../api-error';
import { canSeeDataSet } from '../capabilities';
import { type SandboxContext } from '../context';
import { decodeCursor, encodeCursor } from '../ids';
import { definedFields, WORKFLOW_STATUSES, type ExecutionRecord } from '../model';
import { type Route } from '../router';
import { type ExecutionPosition, versionKey } from '../store';
import { boundedObject, executionMetadata, externalIdField, limitField, parseBody } from '../validation';
import { executionDetailedView, executionView, taskExecutionView } from '../views';
import { assertWorkflowAccess, requireWorkflow, WF_READ, WF_WRITE } from './workflows';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const authentication = z.strictObject({ nonce: z.string().check(z.minLength(1)) });

const runBody = z.strictObject({
  authentication,
  input: z.optional(z.nullable(boundedObject(100_000, 'must be at most'))),
  metadata: z.optional(z.nullable(executionMetadata)),
});

const listBody = z.strictObject({
  filter: z.optional(
    z.strictObject({
      workflowFilters: z.optional(
        z.array(z.strictObject({ externalId: externalIdField, version: z.optional(z.string().check(z.maxLength(255))) })).check(z.minLength(1), z.maxLength(100)),
      ),
      createdTimeStart: z.optional(z.int().check(z.minimum(0))),
      createdTimeEnd: z.optional(z.int().check(z.minimum(0))),
      status: z.optional(
        z
          .array(z.enum(WORKFLOW_STATUSES as [string, ...string[]]))
          .check(z.refine((a) => new Set(a).size === a.length, { message: 'must not contain duplicates' })),
      ),
    }),
  ),
  limit: z.optional(limitField),
  cursor: z.optional(z.nullable(z.string())),
});

const cancelBody = z.strictObject({ reason: z.optional(z.string().check(z.maxLength(500))) });
const retryBody = z.strictObject({ authentication });
const taskUpdateBody = z.strictObject({
  status: z.pipe(
    z.pipe(z.string(), z.transform((s: string) => s.toUpperCase())),
    z.enum(['COMPLETED', 'FAILED', 'FAILED_WITH_TERMINAL_ERROR']),
  ),
  output: z.optional(z.nullable(boundedObject(100_000, 'must be at most'))),
});

export function executionRoutes(ctx: SandboxContext): Route[] {
  const { store, engine, sessions } = ctx;

  /** The execution by id: 400 for a malformed id, 404 for an unknown one ([emulator], REFERENCE §2.5). */
  const requireExecution = (id: string): ExecutionRecord => {
    if (!UUID.test(id)) throw new ApiError(400, `executionId: "${id}" is not a valid execution id (a UUID).`);
    const e = store.executions.get(id);
    if (!e) throw notFound(`Workflow execution ${id} was not found.`, [{ id }]);
    return e;
  };

  return [
    {
      method: 'POST',
      path: '/workflows/:workflowExternalId/versions/:version/run',
      scope: 'project',
      needs: [WF_WRITE],
      handler: (req) => {
        const xid = req.params['workflowExternalId'];
        const version = req.params['version'];
        const body = parseBody(runBody, req.body ?? {});
        const w = requireWorkflow(ctx, xid, req.principal, WF_WRITE);
        const v = store.versions.get(versionKey(xid, version));
        if (!v) throw notFound(`Version ${version} of workflow ${xid} was not found.`, [{ workflowExternalId: xid, version }]);
        const session = sessions.bindNonce(body.authentication.nonce, 'authentication.nonce');
        const e = engine.run(w, v, {
          sessionId: session.id,
          ...(body.input != null ? { input: body.input } : {}),
          ...(body.metadata != null ? { metadata: body.metadata } : {}),
        });
        return { status: 202, body: executionView(e) };
      },
    },
    {
      method: 'POST',
      path: '/workflows/executions/list',
      scope: 'project',
      needs: [WF_READ],
      handler: (req) => {
        const body = parseBody(listBody, req.body ?? {});
        const f = body.filter ?? {};
        const after = body.cursor ? decodeCursor<ExecutionPosition>('executions', body.cursor) : undefined;
        const caps = req.principal.capabilities;
        const scoped = !caps.some((c) => 'all' in (c['workflowOrchestrationAcl']?.scope ?? {}) && c['workflowOrchestrationAcl']?.actions.includes('READ'));
        const { items, more } = store.queryExecutions({
          limit: body.limit ?? 100,
          ...(f.workflowFilters ? { workflowFilters: f.workflowFilters } : {}),
          ...definedFields({ createdTimeStart: f.createdTimeStart, createdTimeEnd: f.createdTimeEnd }),
          ...(f.status ? { status: f.status as ExecutionRecord['status'][] } : {}),
          ...(after ? { after } : {}),
          ...(scoped ? { visible: (e: ExecutionRecord) => canSeeDataSet(caps, WF_READ, e.dataSetId) } : {}),
        });
        const last = items[items.length - 1];
        return {
          status: 200,
          body: {
            items: items.map(executionView),
            ...(more && last ? { nextCursor: encodeCursor('executions', { t: last.createdTime, s: last.seq } satisfies ExecutionPosition) } : {}),
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/workflows/executions/:executionId',
      scope: 'project',
      needs: [WF_READ],
      handler: (req) => {
        const e = requireExecution(req.params['executionId']);
        assertWorkflowAccess(req.principal, WF_READ, e.dataSetId);
        return { status: 200, body: executionDetailedView(e, engine.synthesizeTasks(e)) };
      },
    },
    {
      method: 'POST',
      path: '/workflows/executions/:executionId/cancel',
      scope: 'project',
      needs: [WF_WRITE],
      handler: (req) => {
        const e = requireExecution(req.params['executionId']);
        const body = parseBody(cancelBody, req.body ?? {});
        assertWorkflowAccess(req.principal, WF_WRITE, e.dataSetId);
        engine.cancel(e, body.reason ?? 'cancelled');
        return { status: 200, body: executionView(e) };
      },
    },
    {
      method: 'POST',
      path: '/workflows/executions/:executionId/retry',
      scope: 'project',
      needs: [WF_WRITE],
      handler: (req) => {
        const e = requireExecution(req.params['executionId']);
        const body = parseBody(retryBody, req.body ?? {});
        assertWorkflowAccess(req.principal, WF_WRITE, e.dataSetId);
        if (e.status === 'RUNNING' || e.status === 'COMPLETED') {
          throw new ApiError(400, `Execution ${e.id} is ${e.status}; only FAILED, TIMED_OUT or TERMINATED executions can be retried.`);
        }
        const session = sessions.bindNonce(body.authentication.nonce, 'authentication.nonce');
        engine.retry(e, session.id);
        return { status: 200, body: executionView(e) };
      },
    },
    {
      method: 'POST',
      path: '/workflows/tasks/:taskId/update',
      scope: 'project',
      needs: [WF_WRITE],
      handler: (req) => {
        const body = parseBody(taskUpdateBody, req.body ?? {});
        const taskId = req.params['taskId'];
        const found = store.findTaskExecution(taskId);
        if (found) assertWorkflowAccess(req.principal, WF_WRITE, found.execution.dataSetId);
        const t = engine.updateTask(taskId, body.status, body.output ?? undefined);
        return { status: 200, body: taskExecutionView(t) };
      },
    },
  ];
}
