// Minimal structural shapes of a workflow definition. The client's zod-inferred types (and plain parsed
// JSON or YAML) fit them, so these checks never wait for, or depend on, the HTTP client.

export interface TaskDependency {
  readonly externalId: string;
}

export interface TaskDefinitionLike {
  readonly externalId: string;
  readonly type: string;
  readonly parameters?: unknown;
  readonly name?: string | null;
  readonly description?: string | null;
  readonly retries?: number | null;
  readonly timeout?: number | null;
  readonly onFailure?: unknown;
  readonly dependsOn?: readonly TaskDependency[] | null;
}

export interface WorkflowDefinitionLike {
  readonly description?: string | null;
  readonly tasks: readonly TaskDefinitionLike[];
}

/** Task types the API knows (REFERENCE §2.2.1); anything else passes through to CDF unchecked. */
export const KNOWN_TASK_TYPES = ['function', 'transformation', 'cdf', 'dynamic', 'subworkflow', 'simulation'] as const;
export type KnownTaskType = (typeof KNOWN_TASK_TYPES)[number];

/** The key under `parameters` that holds each known type's settings (`cdf` is the odd one out). */
export const PARAMETERS_KEY: Readonly<Record<KnownTaskType, string>> = {
  function: 'function',
  transformation: 'transformation',
  cdf: 'cdfRequest',
  dynamic: 'dynamic',
  subworkflow: 'subworkflow',
  simulation: 'simulation',
};

export function isKnownTaskType(type: string): type is KnownTaskType {
  return (KNOWN_TASK_TYPES as readonly string[]).includes(type);
}

/** Structural limits of a definition (REFERENCE §2.0, §2.2.1). */
export const DEFINITION_LIMITS = {
  maxTasks: 100,
  maxTasksPerExecution: 200,
  maxDependsOn: 100,
  maxInlineSubworkflowTasks: 100,
  retries: { min: 0, max: 10 },
  timeoutSeconds: { min: 100, max: 43200 },
  externalIdMaxLength: 255,
  nameMaxLength: 255,
  descriptionMaxLength: 500,
} as const;

/** Inline subworkflow tasks, when a task is an inline subworkflow; undefined otherwise. */
export function inlineSubworkflowTasks(task: TaskDefinitionLike): readonly TaskDefinitionLike[] | undefined {
  if (task.type !== 'subworkflow') return undefined;
  const sub = childObject(task.parameters, 'subworkflow');
  const tasks = sub?.['tasks'];
  return Array.isArray(tasks) ? (tasks as TaskDefinitionLike[]) : undefined;
}

export function childObject(value: unknown, key: string): Record<string, unknown> | undefined {
  if (!isPlainObject(value)) return undefined;
  const child = value[key];
  return isPlainObject(child) ? child : undefined;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Structural equality of JSON-like values: arrays in order, plain objects by their own keys. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a)) {
    if (!isPlainObject(b)) return false;
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}
