// Workflow definitions: validation of task lists (versions, inline subworkflows, dynamic task output),
// the defaults CDF fills in, and the definition hash.
import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { TASK_TYPES, type TaskDefinition, type TaskType, type WorkflowDefinition } from './model';
import { boundedObject, externalIdField, fieldError, jsonBytes, parseBody } from './validation';

export const MAX_TASKS_PER_DEFINITION = 100;

/** A whole-string reference such as `${workflow.input.runDate}` (partial interpolation is not supported). */
export const isReference = (v: unknown): v is string => typeof v === 'string' && /^\$\{[^{}]+\}$/.test(v.trim());

const refOr = <T extends z.ZodMiniType>(schema: T, what: string) =>
  z.unknown().check(
    z.superRefine((v, ctx) => {
      if (isReference(v)) return;
      if (v === undefined) {
        ctx.addIssue({ code: 'custom', message: 'is required' });
        return;
      }
      const r = schema.safeParse(v);
      if (!r.success) ctx.addIssue({ code: 'custom', message: `must be ${what} or a reference like \${workflow.input.x}` });
    }),
  );

const functionParameters = z.strictObject({
  function: z.strictObject({
    externalId: refOr(externalIdField, 'a function external id (1-255 characters)'),
    data: z.optional(refOr(boundedObject(100_000), 'an object of at most 100 KB')),
  }),
  isAsyncComplete: z.optional(z.boolean()),
});

const transformationParameters = z.strictObject({
  transformation: z.strictObject({
    externalId: refOr(externalIdField, 'a transformation external id (1-255 characters)'),
    concurrencyPolicy: z.optional(z.enum(['fail', 'waitForCurrent', 'restartAfterCurrent'])),
    useTransformationCredentials: z.optional(z.boolean()),
  }),
});

const cdfParameters = z.strictObject({
  cdfRequest: z.strictObject({
    resourcePath: refOr(z.string().check(z.minLength(1), z.maxLength(128)), 'a resource path of at most 128 characters'),
    method: refOr(z.enum(['POST', 'GET', 'PUT']), 'one of "POST", "GET", "PUT"'),
    queryParameters: z.optional(
      refOr(
        z.record(z.string(), z.string().check(z.maxLength(50))).check(z.refine((o) => Object.keys(o).length <= 5)),
        'an object of at most 5 string values (each at most 50 characters)',
      ),
    ),
    body: z.optional(refOr(boundedObject(100_000), 'an object of at most 100 KB')),
    requestTimeoutInMillis: z.optional(refOr(z.number().check(z.minimum(100)), 'a number of milliseconds of at least 100')),
    cdfVersionHeader: z.optional(z.enum(['alpha', 'beta'])),
  }),
});

// The Toolkit's shape of a function app call (TOOLKIT.md §3); not in the stable spec.
const functionAppParameters = z.strictObject({
  functionApp: z.strictObject({
    externalId: refOr(externalIdField, 'a function app external id (1-255 characters)'),
    path: refOr(z.string().check(z.minLength(1), z.maxLength(255)), 'a path of at most 255 characters'),
    method: z.optional(refOr(z.enum(['GET', 'POST', 'PUT', 'DELETE', 'PATCH']), 'one of "GET", "POST", "PUT", "DELETE", "PATCH"')),
    parameters: z.optional(
      z.record(z.string(), z.string()).check(z.refine((o) => Object.keys(o).length <= 10, { message: 'must have at most 10 entries' })),
    ),
    body: z.optional(z.unknown()),
  }),
});

const dynamicParameters = z.strictObject({
  dynamic: z.strictObject({
    tasks: z.string().check(
      z.refine(isReference, { message: 'must be a reference to a list of task definitions, like ${plan.output.response.tasks}' }),
    ),
  }),
});

const simulationParameters = z.strictObject({
  simulation: z.strictObject({
    routineExternalId: externalIdField,
    runTime: z.optional(z.nullable(z.int())),
    inputs: z.optional(
      z
        .array(
          z.strictObject({
            referenceId: z.string(),
            value: z.union([
              z.string().check(z.minLength(1), z.maxLength(1024)),
              z.number(),
              z.array(z.string()).check(z.minLength(1), z.maxLength(200)),
              z.array(z.number()).check(z.minLength(1), z.maxLength(200)),
            ]),
            unit: z.optional(z.nullable(z.strictObject({ name: z.string() }))),
          }),
        )
        .check(z.maxLength(200)),
    ),
  }),
});

const subworkflowReference = z.strictObject({
  subworkflow: z.strictObject({ workflowExternalId: externalIdField, version: z.string().check(z.minLength(1), z.maxLength(255)) }),
});

const taskShape = z.strictObject({
  externalId: externalIdField,
  type: z.string(),
  name: z.optional(z.nullable(z.string().check(z.maxLength(255)))),
  description: z.optional(z.nullable(z.string().check(z.maxLength(500)))),
  parameters: z.record(z.string(), z.unknown()),
  retries: z.optional(z.nullable(z.number().check(z.minimum(0), z.maximum(10)))),
  timeout: z.optional(z.nullable(z.number().check(z.minimum(100), z.maximum(43200)))),
  onFailure: z.optional(z.nullable(z.enum(['abortWorkflow', 'skipTask']))),
  dependsOn: z.optional(z.nullable(z.array(z.strictObject({ externalId: externalIdField })).check(z.maxLength(100)))),
});

export interface TaskListContext {
  /** dynamic and subworkflow tasks are allowed (top level of a version only). */
  allowContainers: boolean;
  /** External ids already used elsewhere in the same definition. */
  taken: Set<string>;
}

/**
 * Validates a list of task definitions at `path` and returns them with defaults filled in.
 * Throws a 400 ApiError naming the field at fault.
 */
export function normalizeTasks(raw: unknown, path: (string | number)[], ctx: TaskListContext, maxTasks = MAX_TASKS_PER_DEFINITION): TaskDefinition[] {
  if (!Array.isArray(raw)) throw fieldError(path, raw === undefined ? 'is required' : 'must be an array of task definitions');
  if (raw.length > maxTasks) throw fieldError(path, `must have at most ${maxTasks} items`);
  const tasks: TaskDefinition[] = [];
  const ids = new Set<string>();
  raw.forEach((item, i) => {
    const taskPath = [...path, i];
    const t = parseBody(taskShape, item, taskPath);
    if (!(TASK_TYPES as readonly string[]).includes(t.type)) {
      throw fieldError([...taskPath, 'type'], `must be one of ${TASK_TYPES.map((x) => `"${x}"`).join(', ')}`);
    }
    const type = t.type as TaskType;
    if (t.externalId === 'workflow' || t.externalId.startsWith('__')) {
      throw fieldError([...taskPath, 'externalId'], 'must not be "workflow" nor start with "__"');
    }
    if (ids.has(t.externalId) || ctx.taken.has(t.externalId)) {
      throw fieldError([...taskPath, 'externalId'], `duplicate task external id "${t.externalId}"; task external ids must be unique in a definition`);
    }
    ids.add(t.externalId);
    ctx.taken.add(t.externalId);
    const paramsPath = [...taskPath, 'parameters'];
    let parameters: Record<string, unknown>;
    switch (type) {
      case 'function':
        // CDF keeps what was sent: an omitted isAsyncComplete stays omitted (it means false).
        parameters = parseBody(functionParameters, t.parameters, paramsPath);
        break;
      case 'transformation': {
        // CDF answers with both defaults filled in (the Toolkit's diff strips them again, toolkit#1758).
        const p = parseBody(transformationParameters, t.parameters, paramsPath);
        parameters = {
          transformation: { ...p.transformation, concurrencyPolicy: p.transformation.concurrencyPolicy ?? 'fail', useTransformationCredentials: p.transformation.useTransformationCredentials ?? false },
        };
        break;
      }
      case 'functionApp':
        parameters = parseBody(functionAppParameters, t.parameters, paramsPath);
        break;
      case 'cdf':
        parameters = parseBody(cdfParameters, t.parameters, paramsPath);
        break;
      case 'simulation':
        parameters = parseBody(simulationParameters, t.parameters, paramsPath);
        break;
      case 'dynamic':
        if (!ctx.allowContainers) throw fieldError([...taskPath, 'type'], 'dynamic tasks cannot be nested in a dynamic task or a subworkflow');
        parameters = parseBody(dynamicParameters, t.parameters, paramsPath);
        break;
      case 'subworkflow': {
        if (!ctx.allowContainers) throw fieldError([...taskPath, 'type'], 'subworkflow tasks cannot be nested in a dynamic task or a subworkflow');
        const sub = t.parameters['subworkflow'];
        if (sub && typeof sub === 'object' && !Array.isArray(sub) && 'tasks' in sub) {
          const extra = Object.keys(t.parameters).filter((k) => k !== 'subworkflow');
          if (extra.length) throw fieldError(paramsPath, `unrecognized field '${extra[0]}'`);
          const extraSub = Object.keys(sub).filter((k) => k !== 'tasks');
          if (extraSub.length) throw fieldError([...paramsPath, 'subworkflow'], `unrecognized field '${extraSub[0]}'`);
          const children = normalizeTasks((sub).tasks, [...paramsPath, 'subworkflow', 'tasks'], { allowContainers: false, taken: ctx.taken });
          if (children.length === 0) throw fieldError([...paramsPath, 'subworkflow', 'tasks'], 'must have at least 1 item');
          parameters = { subworkflow: { tasks: children } };
        } else {
          parameters = parseBody(subworkflowReference, t.parameters, paramsPath);
        }
        break;
      }
    }
    const task: TaskDefinition = {
      externalId: t.externalId,
      type,
      parameters,
      retries: t.retries ?? 3,
      timeout: t.timeout ?? 3600,
      onFailure: t.onFailure ?? 'abortWorkflow',
      dependsOn: t.dependsOn ?? [],
    };
    if (t.name != null) task.name = t.name;
    if (t.description != null) task.description = t.description;
    tasks.push(task);
  });
  checkDependencies(tasks, path);
  return tasks;
}

/** dependsOn must name tasks of the same list, not the task itself, and form no cycle. */
function checkDependencies(tasks: TaskDefinition[], path: (string | number)[]): void {
  const byId = new Map(tasks.map((t) => [t.externalId, t]));
  tasks.forEach((t, i) => {
    t.dependsOn.forEach((d, j) => {
      if (d.externalId === t.externalId) throw fieldError([...path, i, 'dependsOn', j, 'externalId'], `task "${t.externalId}" cannot depend on itself`);
      if (!byId.has(d.externalId)) {
        throw fieldError([...path, i, 'dependsOn', j, 'externalId'], `task "${t.externalId}" depends on "${d.externalId}", which is not a task of this definition`);
      }
    });
  });
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, trail: string[]): void => {
    const s = state.get(id);
    if (s === 'done') return;
    if (s === 'visiting') {
      const cycle = [...trail.slice(trail.indexOf(id)), id].join(' -> ');
      throw fieldError(path, `the task dependencies form a cycle: ${cycle}`);
    }
    state.set(id, 'visiting');
    for (const d of byId.get(id)!.dependsOn) visit(d.externalId, [...trail, id]);
    state.set(id, 'done');
  };
  for (const t of tasks) visit(t.externalId, []);
}

/**
 * [emulator] The real hash algorithm is unconfirmed (REFERENCE §2.2): upper-case SHA-1 of the canonical
 * JSON of {description, tasks} after defaults, so identical content gives the same 40-character hash.
 */
export function definitionHash(description: string | undefined, tasks: TaskDefinition[]): string {
  return createHash('sha1')
    .update(canonicalJson({ description: description ?? null, tasks }))
    .digest('hex')
    .toUpperCase();
}

function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

const definitionShape = z.strictObject({
  description: z.optional(z.nullable(z.string().check(z.maxLength(500)))),
  tasks: z.unknown(),
});

/** Validates a `workflowDefinition` from a version upsert. */
export function normalizeDefinition(raw: unknown, path: (string | number)[]): WorkflowDefinition {
  const d = parseBody(definitionShape, raw, path);
  const tasks = normalizeTasks(d.tasks, [...path, 'tasks'], { allowContainers: true, taken: new Set() });
  const def: WorkflowDefinition = { hash: definitionHash(d.description ?? undefined, tasks), tasks };
  if (d.description != null) def.description = d.description;
  return def;
}

export { jsonBytes };
