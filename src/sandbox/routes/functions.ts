// Cognite Functions, their calls and schedules (REFERENCE §4.2-§4.5).
import * as z from 'zod/mini';
import { ApiError, notFound } from '../api-error';
import { type CapabilityNeed } from '../capabilities';
import { type SandboxContext } from '../context';
import { FUNCTION_LIMITS } from '../function-runner';
import { decodeCursor, encodeCursor, newInternalId } from '../ids';
import { definedFields, type FunctionCallRecord, type FunctionRecord, type ScheduleRecord } from '../model';
import { type ApiRequest, type Route } from '../router';
import { cronProblem, describeCron } from '../scheduler';
import { externalIdField, internalId, jsonBytes, parseBody } from '../validation';
import { callView, functionView, scheduleView } from '../views';

const FN_READ: CapabilityNeed = { acl: 'functionsAcl', action: 'READ' };
const FN_WRITE: CapabilityNeed = { acl: 'functionsAcl', action: 'WRITE' };
const FN_RUN: CapabilityNeed = { acl: 'functionsAcl', action: 'RUN' };

const MAX_FUNCTIONS = 100;
const MAX_SCHEDULES_PER_FUNCTION = 100;
const MAX_SCHEDULES = 1000;
/** [emulator] Call data up to 9 MB (the Google limit; Azure and AWS allow less, REFERENCE §4.5). */
const MAX_CALL_DATA_BYTES = 9 * 1024 * 1024;

const RESERVED_SECRETS = new Set(['token', 'indexurl', 'extraindexurls']);

const functionMetadata = z
  .record(z.string().check(z.maxLength(32)), z.string().check(z.maxLength(512)))
  .check(
    z.refine((m) => Object.keys(m).length <= 16, { message: 'must have at most 16 entries' }),
    z.refine((m) => jsonBytes(m) <= 4096, { message: 'must be at most 4096 bytes in total' }),
  );

const secrets = z.record(z.string(), z.string()).check(
  z.superRefine((m, ctx) => {
    const keys = Object.keys(m);
    if (keys.length > 30) ctx.addIssue({ code: 'custom', message: 'must have at most 30 entries' });
    for (const k of keys) {
      if (!/^[a-z0-9-]{1,15}$/.test(k)) {
        ctx.addIssue({ code: 'custom', path: [k], message: 'secret names must be 1-15 lower-case letters, digits or dashes' });
      } else if (RESERVED_SECRETS.has(k.toLowerCase())) {
        ctx.addIssue({ code: 'custom', path: [k], message: 'token, indexUrl and extraIndexUrls are reserved secret names' });
      } else if (Buffer.byteLength(k) + Buffer.byteLength(m[k]) > 25 * 1024) {
        ctx.addIssue({ code: 'custom', path: [k], message: 'a secret name and value may be at most 25 kB together' });
      }
    }
  }),
);

const envVars = z.record(z.string(), z.string()).check(
  z.superRefine((m, ctx) => {
    const keys = Object.keys(m);
    if (keys.length > 100) ctx.addIssue({ code: 'custom', message: 'must have at most 100 entries' });
    for (const k of keys) if (!/^[A-Za-z0-9_]+$/.test(k)) ctx.addIssue({ code: 'custom', path: [k], message: 'environment variable names may only use letters, digits and _' });
  }),
);

const functionCreate = z.strictObject({
  items: z
    .array(
      z.strictObject({
        name: z.string().check(z.minLength(1), z.maxLength(140)),
        fileId: internalId,
        externalId: z.optional(externalIdField),
        description: z.optional(z.string().check(z.maxLength(500))),
        owner: z.optional(z.string().check(z.maxLength(128))),
        functionPath: z.optional(
          z
            .string()
            .check(
              z.minLength(1),
              z.maxLength(500),
              z.refine((p) => !p.startsWith('/') && !p.includes('\\') && !p.split('/').includes('..'), {
                message: 'must be a relative POSIX path inside the zip, like src/handler.py',
              }),
            ),
        ),
        secrets: z.optional(secrets),
        envVars: z.optional(envVars),
        cpu: z.optional(z.number().check(z.minimum(FUNCTION_LIMITS.cpuCores.min), z.maximum(FUNCTION_LIMITS.cpuCores.max))),
        memory: z.optional(z.number().check(z.minimum(FUNCTION_LIMITS.memoryGb.min), z.maximum(FUNCTION_LIMITS.memoryGb.max))),
        runtime: z.optional(z.enum(FUNCTION_LIMITS.runtimes as [string, ...string[]])),
        metadata: z.optional(functionMetadata),
        indexUrl: z.optional(z.string()),
        extraIndexUrls: z.optional(z.array(z.string())),
      }),
    )
    .check(z.minLength(1), z.maxLength(1)),
});

const functionIdentifier = z.union([z.strictObject({ id: internalId }), z.strictObject({ externalId: externalIdField })]);
const functionIds = z.strictObject({ items: z.array(functionIdentifier).check(z.minLength(1), z.maxLength(10)), ignoreUnknownIds: z.optional(z.boolean()) });

const range = z.strictObject({ min: z.optional(z.int().check(z.minimum(0))), max: z.optional(z.int().check(z.minimum(0))) });
const functionFilter = z.strictObject({
  filter: z.optional(
    z.strictObject({
      name: z.optional(z.string()),
      owner: z.optional(z.string()),
      fileId: z.optional(internalId),
      status: z.optional(z.enum(['Queued', 'Deploying', 'Ready', 'Failed'])),
      externalIdPrefix: z.optional(z.string()),
      createdTime: z.optional(range),
      metadata: z.optional(z.record(z.string(), z.string())),
    }),
  ),
  limit: z.optional(z.int().check(z.minimum(1))),
});

const callBody = z.strictObject({
  data: z.optional(
    z.nullable(
      z.record(z.string(), z.unknown()).check(z.refine((d) => jsonBytes(d) <= MAX_CALL_DATA_BYTES, { message: 'must be at most 9 MB when serialized as JSON' })),
    ),
  ),
  nonce: z.string().check(z.minLength(1)),
});

const callFilter = z.strictObject({
  filter: z.optional(
    z.strictObject({
      scheduleId: z.optional(internalId),
      status: z.optional(z.enum(['Running', 'Completed', 'Failed', 'Timeout'])),
      startTime: z.optional(range),
      endTime: z.optional(range),
    }),
  ),
  limit: z.optional(z.int().check(z.minimum(1), z.maximum(10000))),
  cursor: z.optional(z.nullable(z.string())),
});

const callIds = z.strictObject({ items: z.array(z.strictObject({ id: internalId })).check(z.minLength(1), z.maxLength(10000)), ignoreUnknownIds: z.optional(z.boolean()) });

const scheduleCreate = z.strictObject({
  items: z
    .array(
      z.strictObject({
        name: z.string().check(z.minLength(1), z.maxLength(140)),
        cronExpression: z.string().check(z.minLength(1), z.maxLength(1024)),
        functionId: z.optional(internalId),
        functionExternalId: z.optional(externalIdField),
        description: z.optional(z.string().check(z.maxLength(500))),
        data: z.optional(z.record(z.string(), z.unknown())),
        nonce: z.optional(z.string().check(z.minLength(1))),
      }),
    )
    .check(z.minLength(1), z.maxLength(1)),
});

const scheduleFilter = z.strictObject({
  filter: z.optional(
    z.strictObject({
      name: z.optional(z.string()),
      // The spec spells these with a capital F; the Python SDK sends functionId (REFERENCE §4.4): accept both.
      functionId: z.optional(internalId),
      FunctionId: z.optional(internalId),
      functionExternalId: z.optional(externalIdField),
      FunctionExternalId: z.optional(externalIdField),
      createdTime: z.optional(range),
      cronExpression: z.optional(z.string()),
    }),
  ),
  limit: z.optional(z.int().check(z.minimum(1))),
});

const scheduleIds = z.strictObject({ items: z.array(z.strictObject({ id: internalId })).check(z.minLength(1), z.maxLength(10000)), ignoreUnknownIds: z.optional(z.boolean()) });

const inRange = (v: number | undefined, r: { min?: number; max?: number } | undefined): boolean =>
  !r || (v !== undefined && (r.min === undefined || v >= r.min) && (r.max === undefined || v <= r.max));

export function functionRoutes(ctx: SandboxContext): Route[] {
  const { store, clock, sessions, functions, scheduler } = ctx;

  const numericParam = (req: ApiRequest, name: string): number => {
    const raw = req.params[name];
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < 1) throw new ApiError(400, `${name}: must be a positive integer id, got "${raw}".`);
    return n;
  };

  const requireFunction = (req: ApiRequest): FunctionRecord => {
    const id = numericParam(req, 'functionId');
    const fn = store.functions.get(id);
    if (!fn) throw notFound(`Function ${id} was not found.`, [{ id }]);
    return fn;
  };

  const requireCall = (req: ApiRequest, fn: FunctionRecord): FunctionCallRecord => {
    const id = numericParam(req, 'callId');
    const call = store.calls.get(id);
    if (!call || call.functionId !== fn.id) throw notFound(`Call ${id} of function ${fn.id} was not found.`, [{ id }]);
    return call;
  };

  const resolveFunctions = (items: z.infer<typeof functionIdentifier>[], ignoreUnknownIds: boolean): FunctionRecord[] => {
    const found: FunctionRecord[] = [];
    const missing: object[] = [];
    for (const item of items) {
      const fn = 'id' in item ? store.functions.get(item.id) : store.functionByExternalId(item.externalId);
      if (fn) found.push(fn);
      else missing.push(item);
    }
    if (missing.length > 0 && !ignoreUnknownIds) throw new ApiError(400, 'Functions not found.', { missing });
    return found;
  };

  const listFunctions = (limit: number, filter: z.infer<typeof functionFilter>['filter'] = {}): object => {
    const all = [...store.functions.values()]
      .filter(
        (f) =>
          (filter.name === undefined || f.name === filter.name) &&
          (filter.owner === undefined || f.owner === filter.owner) &&
          (filter.fileId === undefined || f.fileId === filter.fileId) &&
          (filter.status === undefined || f.status === filter.status) &&
          (filter.externalIdPrefix === undefined || (f.externalId ?? '').startsWith(filter.externalIdPrefix)) &&
          inRange(f.createdTime, filter.createdTime) &&
          (filter.metadata === undefined || Object.entries(filter.metadata).every(([k, v]) => f.metadata?.[k] === v)),
      )
      .sort((a, b) => a.createdTime - b.createdTime || a.id - b.id);
    // Function lists have no cursor (REFERENCE §1.7).
    return { items: all.slice(0, limit).map(functionView) };
  };

  const callsPage = (fn: FunctionRecord, body: z.infer<typeof callFilter>): object => {
    const f = body.filter ?? {};
    const limit = body.limit ?? 100;
    const all = [...store.calls.values()]
      .filter(
        (c) =>
          c.functionId === fn.id &&
          (f.scheduleId === undefined || c.scheduleId === f.scheduleId) &&
          (f.status === undefined || c.status === f.status) &&
          inRange(c.startTime, f.startTime) &&
          (!f.endTime || inRange(c.endTime, f.endTime)),
      )
      .sort((a, b) => b.startTime - a.startTime || b.id - a.id);
    let start = 0;
    if (body.cursor) {
      const [t, id] = decodeCursor<[number, number]>('calls', body.cursor);
      start = all.findIndex((c) => c.startTime < t || (c.startTime === t && c.id < id));
      if (start < 0) start = all.length;
    }
    const page = all.slice(start, start + limit);
    const last = page[page.length - 1];
    return { items: page.map(callView), ...(start + limit < all.length && last ? { nextCursor: encodeCursor('calls', [last.startTime, last.id]) } : {}) };
  };

  const listSchedules = (limit: number, filter: z.infer<typeof scheduleFilter>['filter'] = {}): object => {
    const functionId = filter.functionId ?? filter.FunctionId;
    const functionExternalId = filter.functionExternalId ?? filter.FunctionExternalId;
    const all = [...store.schedules.values()]
      .filter(
        (s) =>
          (filter.name === undefined || s.name === filter.name) &&
          (functionId === undefined || s.functionId === functionId) &&
          (functionExternalId === undefined || store.functions.get(s.functionId)?.externalId === functionExternalId) &&
          (filter.cronExpression === undefined || s.cronExpression === filter.cronExpression) &&
          inRange(s.createdTime, filter.createdTime),
      )
      .sort((a, b) => a.createdTime - b.createdTime || a.id - b.id);
    return { items: all.slice(0, limit).map(scheduleView) };
  };

  const limitQuery = (req: ApiRequest): number => {
    const raw = req.query.get('limit');
    if (raw === null) return 100;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < 1) throw new ApiError(400, 'limit: must be a positive integer');
    return n;
  };

  return [
    {
      method: 'POST',
      path: '/functions',
      scope: 'project',
      needs: [FN_WRITE],
      handler: (req) => {
        const [item] = parseBody(functionCreate, req.body).items;
        const i = item;
        if (store.functions.size >= MAX_FUNCTIONS) throw new ApiError(400, `The project already has ${MAX_FUNCTIONS} functions, the most it may have. Delete some first.`);
        if (i.externalId !== undefined && store.functionByExternalId(i.externalId)) {
          // [emulator] Duplicate external ids answer 409 with `duplicated` (REFERENCE §8 item 6).
          throw new ApiError(409, 'Function with the given externalId already exists', { duplicated: [{ externalId: i.externalId }] });
        }
        const file = store.files.get(i.fileId);
        if (!file) throw new ApiError(400, `items[0].fileId: file ${i.fileId} does not exist. Upload the zip with POST /files first.`, { missing: [{ id: i.fileId }] });
        if (!file.uploaded) throw new ApiError(400, `items[0].fileId: file ${i.fileId} has no content yet. PUT the zip to its uploadUrl, then create the function.`);
        const fn: FunctionRecord = {
          id: newInternalId(),
          name: i.name,
          fileId: i.fileId,
          functionPath: i.functionPath ?? 'handler.py',
          cpu: i.cpu ?? FUNCTION_LIMITS.cpuCores.default,
          memory: i.memory ?? FUNCTION_LIMITS.memoryGb.default,
          runtime: i.runtime ?? 'py313',
          status: 'Queued',
          createdTime: clock.now(),
          ...definedFields({ externalId: i.externalId, description: i.description, owner: i.owner, secrets: i.secrets, envVars: i.envVars, metadata: i.metadata }),
        };
        // indexUrl / extraIndexUrls are write-only and the sandbox installs no packages: not stored.
        store.functions.set(fn.id, fn);
        functions.deploy(fn);
        store.changed();
        return { status: 201, body: { items: [functionView(fn)] } };
      },
    },
    { method: 'GET', path: '/functions', scope: 'project', needs: [FN_READ], handler: (req) => ({ status: 200, body: listFunctions(limitQuery(req)) }) },
    {
      method: 'POST',
      path: '/functions/list',
      scope: 'project',
      needs: [FN_READ],
      handler: (req) => {
        const body = parseBody(functionFilter, req.body ?? {});
        return { status: 200, body: listFunctions(body.limit ?? 100, body.filter) };
      },
    },
    {
      method: 'POST',
      path: '/functions/byids',
      scope: 'project',
      needs: [FN_READ],
      handler: (req) => {
        const body = parseBody(functionIds, req.body);
        return { status: 200, body: { items: resolveFunctions(body.items, body.ignoreUnknownIds ?? false).map(functionView) } };
      },
    },
    {
      method: 'POST',
      path: '/functions/delete',
      scope: 'project',
      needs: [FN_WRITE],
      handler: (req) => {
        const body = parseBody(functionIds, req.body);
        for (const fn of resolveFunctions(body.items, body.ignoreUnknownIds ?? false)) {
          // Deleting a function keeps its zip in Files (REFERENCE §4.2) but removes its schedules.
          store.functions.delete(fn.id);
          for (const s of [...store.schedules.values()]) {
            if (s.functionId !== fn.id) continue;
            store.schedules.delete(s.id);
            scheduler.disarmSchedule(s.id);
          }
        }
        store.changed();
        return { status: 200, body: {} };
      },
    },
    { method: 'GET', path: '/functions/limits', scope: 'project', needs: [FN_READ], handler: () => ({ status: 200, body: FUNCTION_LIMITS }) },
    { method: 'GET', path: '/functions/status', scope: 'project', needs: [FN_READ], handler: () => ({ status: 200, body: { status: 'activated' } }) },
    { method: 'POST', path: '/functions/status', scope: 'project', needs: [FN_WRITE], handler: () => ({ status: 202, body: { status: 'activated' } }) },
    {
      method: 'GET',
      path: '/functions/:functionId',
      scope: 'project',
      needs: [FN_READ],
      handler: (req) => ({ status: 200, body: functionView(requireFunction(req)) }),
    },
    {
      method: 'POST',
      path: '/functions/:functionId/call',
      scope: 'project',
      needs: [FN_RUN],
      handler: (req) => {
        const fn = requireFunction(req);
        const body = parseBody(callBody, req.body ?? {});
        if (fn.status !== 'Ready') throw new ApiError(400, `Function ${fn.externalId ?? fn.id} is not ready to be called (status ${fn.status}).`);
        const session = sessions.bindNonce(body.nonce, 'nonce');
        const call = functions.startCall(fn, body.data ?? {}, { sessionId: session.id });
        return { status: 201, body: callView(call) };
      },
    },
    {
      method: 'GET',
      path: '/functions/:functionId/calls',
      scope: 'project',
      needs: [FN_READ],
      handler: (req) => {
        const fn = requireFunction(req);
        const cursor = req.query.get('cursor');
        return { status: 200, body: callsPage(fn, { limit: limitQuery(req), ...(cursor ? { cursor } : {}) }) };
      },
    },
    {
      method: 'POST',
      path: '/functions/:functionId/calls/list',
      scope: 'project',
      needs: [FN_READ],
      handler: (req) => {
        const fn = requireFunction(req);
        return { status: 200, body: callsPage(fn, parseBody(callFilter, req.body ?? {})) };
      },
    },
    {
      method: 'POST',
      path: '/functions/:functionId/calls/byids',
      scope: 'project',
      needs: [FN_READ],
      handler: (req) => {
        const fn = requireFunction(req);
        const body = parseBody(callIds, req.body);
        const found: FunctionCallRecord[] = [];
        const missing: object[] = [];
        for (const { id } of body.items) {
          const c = store.calls.get(id);
          if (c && c.functionId === fn.id) found.push(c);
          else missing.push({ id });
        }
        if (missing.length > 0 && !body.ignoreUnknownIds) throw new ApiError(400, 'Function calls not found.', { missing });
        return { status: 200, body: { items: found.map(callView) } };
      },
    },
    {
      method: 'GET',
      path: '/functions/:functionId/calls/:callId',
      scope: 'project',
      needs: [FN_READ],
      handler: (req) => ({ status: 200, body: callView(requireCall(req, requireFunction(req))) }),
    },
    {
      method: 'GET',
      path: '/functions/:functionId/calls/:callId/response',
      scope: 'project',
      needs: [FN_READ],
      handler: (req) => {
        const fn = requireFunction(req);
        const call = requireCall(req, fn);
        const body: Record<string, unknown> = { callId: call.id, functionId: fn.id };
        if (call.response !== undefined) body['response'] = call.response;
        return { status: 200, body };
      },
    },
    {
      method: 'GET',
      path: '/functions/:functionId/calls/:callId/logs',
      scope: 'project',
      needs: [FN_READ],
      handler: (req) => ({ status: 200, body: { items: requireCall(req, requireFunction(req)).logs } }),
    },
    {
      method: 'POST',
      path: '/functions/schedules',
      scope: 'project',
      needs: [FN_WRITE],
      handler: (req) => {
        const [item] = parseBody(scheduleCreate, req.body).items;
        const i = item;
        if (i.functionId !== undefined && i.functionExternalId !== undefined) {
          throw new ApiError(400, 'items[0]: give either functionId or functionExternalId, not both.');
        }
        if (i.nonce === undefined) {
          throw new ApiError(400, 'items[0].nonce: is required: create a session (POST /sessions) and pass its nonce; the schedule calls the function with it.');
        }
        if (i.functionId === undefined) {
          throw new ApiError(400, 'items[0].functionId: is required when a nonce is given (functionExternalId is deprecated).');
        }
        const fn = store.functions.get(i.functionId);
        if (!fn) throw new ApiError(400, `items[0].functionId: function ${i.functionId} does not exist.`, { missing: [{ id: i.functionId }] });
        const problem = cronProblem(i.cronExpression);
        if (problem) throw new ApiError(400, `items[0].cronExpression: ${problem}`);
        if (i.data !== undefined && jsonBytes(i.data) > MAX_CALL_DATA_BYTES) throw new ApiError(400, 'items[0].data: must be at most 9 MB when serialized as JSON');
        const forFunction = [...store.schedules.values()].filter((s) => s.functionId === fn.id).length;
        if (forFunction >= MAX_SCHEDULES_PER_FUNCTION || store.schedules.size >= MAX_SCHEDULES) {
          throw new ApiError(400, `Schedule limit reached (${MAX_SCHEDULES_PER_FUNCTION} per function, ${MAX_SCHEDULES} per project).`);
        }
        const session = sessions.bindNonce(i.nonce, 'items[0].nonce');
        const s: ScheduleRecord = {
          id: newInternalId(),
          name: i.name,
          cronExpression: i.cronExpression,
          when: describeCron(i.cronExpression),
          functionId: fn.id,
          createdTime: clock.now(),
          sessionId: session.id,
          ...definedFields({ functionExternalId: fn.externalId, description: i.description, data: i.data }),
        };
        store.schedules.set(s.id, s);
        scheduler.armSchedule(s);
        store.changed();
        return { status: 201, body: { items: [scheduleView(s)] } };
      },
    },
    { method: 'GET', path: '/functions/schedules', scope: 'project', needs: [FN_READ], handler: (req) => ({ status: 200, body: listSchedules(limitQuery(req)) }) },
    {
      method: 'POST',
      path: '/functions/schedules/list',
      scope: 'project',
      needs: [FN_READ],
      handler: (req) => {
        const body = parseBody(scheduleFilter, req.body ?? {});
        return { status: 200, body: listSchedules(body.limit ?? 100, body.filter) };
      },
    },
    {
      method: 'GET',
      path: '/functions/schedules/:scheduleId',
      scope: 'project',
      needs: [FN_READ],
      handler: (req) => {
        const id = numericParam(req, 'scheduleId');
        const s = store.schedules.get(id);
        if (!s) throw notFound(`Schedule ${id} was not found.`, [{ id }]);
        return { status: 200, body: scheduleView(s) };
      },
    },
    {
      method: 'GET',
      path: '/functions/schedules/:scheduleId/input_data',
      scope: 'project',
      needs: [FN_READ],
      handler: (req) => {
        const id = numericParam(req, 'scheduleId');
        const s = store.schedules.get(id);
        if (!s) throw notFound(`Schedule ${id} was not found.`, [{ id }]);
        return { status: 200, body: { id: s.id, ...definedFields({ data: s.data }) } };
      },
    },
    {
      method: 'POST',
      path: '/functions/schedules/byids',
      scope: 'project',
      needs: [FN_READ],
      handler: (req) => {
        const body = parseBody(scheduleIds, req.body);
        const missing = body.items.filter((i) => !store.schedules.has(i.id));
        if (missing.length > 0 && !body.ignoreUnknownIds) throw new ApiError(400, 'Function schedules not found.', { missing });
        return { status: 200, body: { items: body.items.filter((i) => store.schedules.has(i.id)).map((i) => scheduleView(store.schedules.get(i.id)!)) } };
      },
    },
    {
      method: 'POST',
      path: '/functions/schedules/delete',
      scope: 'project',
      needs: [FN_WRITE],
      handler: (req) => {
        const body = parseBody(z.strictObject({ items: z.array(z.strictObject({ id: internalId })).check(z.minLength(1), z.maxLength(10000)) }), req.body);
        const missing = body.items.filter((i) => !store.schedules.has(i.id));
        if (missing.length > 0) throw new ApiError(400, 'Function schedules not found.', { missing });
        for (const { id } of body.items) {
          store.schedules.delete(id);
          scheduler.disarmSchedule(id);
        }
        store.changed();
        return { status: 200, body: {} };
      },
    },
  ];
}
