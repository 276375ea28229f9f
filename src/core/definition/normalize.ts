// What CDF fills in, and what only its answers carry, taken out of the comparison between a definition in
// a file and the deployed one, so an unchanged definition compares equal. The Toolkit compares raw dicts and
// reports false differences for defaults it did not expect (cognitedata/toolkit#1525: task retries, timeout,
// onFailure and dependsOn; #1758: a transformation's concurrencyPolicy and useTransformationCredentials);
// here every default of REFERENCE §2.2.1-2.2.2 and §2.6 counts, on both sides, at the place it belongs.
//
//   canonicalWorkflow / canonicalVersion / canonicalTrigger   the meaning only: defaults and nulls dropped,
//                                                              tasks and dependsOn in a fixed order
//   sameWorkflow / sameVersion / sameTrigger                   equality of those forms
//   alignVersion(deployed, local) (and the other kinds)        the deployed resource written the way the file
//                                                              writes it: its defaults, nulls and order
//   describeDifferences(local, deployed, kind)                 what differs, one line each, for people
import { deepEqual, isPlainObject } from './types';

export type DefinitionResourceKind = 'workflow' | 'version' | 'trigger';

/** How a place in a resource is read: which keys hold defaults, which are lists of tasks, which are free JSON. */
interface Shape {
  /** Keys whose value means "not set" when it equals one of these (null always does). */
  readonly defaults?: Readonly<Record<string, readonly unknown[]>>;
  /** Keys only CDF's answers carry. */
  readonly responseOnly?: readonly string[];
  /** Keys that are not part of what CDF holds (Toolkit-only), left out of comparisons. */
  readonly ignored?: readonly string[];
  /** The shape of each child that has one; other children are compared as plain JSON. */
  readonly children?: Readonly<Record<string, ShapeRef>>;
  /** For parameters: the shape of the key named by the task type. */
  readonly byType?: true;
}

type ShapeRef = Shape | 'tasks' | 'dependsOn' | 'parameters' | 'free';

const EMPTY_OBJECT = {};

const FUNCTION_REF: Shape = { defaults: { data: [EMPTY_OBJECT] }, children: { data: 'free' } };
const TRANSFORMATION_REF: Shape = { defaults: { concurrencyPolicy: ['fail'], useTransformationCredentials: [false] } };
const CDF_REQUEST: Shape = {
  defaults: { queryParameters: [EMPTY_OBJECT], body: [EMPTY_OBJECT], requestTimeoutInMillis: [10_000], cdfVersionHeader: [] },
  children: { queryParameters: 'free', body: 'free' },
};
const SIMULATION_INPUT: Shape = { defaults: { unit: [] }, children: { value: 'free' } };
const SIMULATION_REF: Shape = { defaults: { runTime: [], inputs: [[]] }, children: { inputs: SIMULATION_INPUT } };
const FUNCTION_APP_REF: Shape = { defaults: { method: [], parameters: [EMPTY_OBJECT], body: [] }, children: { parameters: 'free', body: 'free' } };

/** Parameters per task type: the key named after the type (cdf's is cdfRequest), and keys beside it. */
const PARAMETERS: Readonly<Record<string, Shape>> = {
  function: { defaults: { isAsyncComplete: [false], asyncComplete: [false] }, children: { function: FUNCTION_REF } },
  transformation: { children: { transformation: TRANSFORMATION_REF } },
  cdf: { children: { cdfRequest: CDF_REQUEST } },
  dynamic: { children: { dynamic: { children: { tasks: 'free' } } } },
  subworkflow: { children: { subworkflow: { children: { tasks: 'tasks' } } } },
  simulation: { children: { simulation: SIMULATION_REF } },
  functionApp: { children: { functionApp: FUNCTION_APP_REF } },
};

const TASK: Shape = {
  defaults: { retries: [3], timeout: [3600], onFailure: ['abortWorkflow'], dependsOn: [[]], name: [], description: [] },
  children: { parameters: 'parameters', dependsOn: 'dependsOn' },
};

const SHAPES: Readonly<Record<DefinitionResourceKind, Shape>> = {
  workflow: {
    defaults: { description: [], dataSetId: [], maxConcurrentExecutions: [] },
    responseOnly: ['createdTime', 'lastUpdatedTime'],
  },
  version: {
    responseOnly: ['createdTime', 'lastUpdatedTime'],
    children: { workflowDefinition: { defaults: { description: [] }, responseOnly: ['hash'], children: { tasks: 'tasks' } } },
  },
  trigger: {
    defaults: { input: [EMPTY_OBJECT], metadata: [EMPTY_OBJECT] },
    responseOnly: ['createdTime', 'lastUpdatedTime', 'isPaused'],
    ignored: ['authentication'],
    children: {
      input: 'free',
      metadata: 'free',
      // CDF answers timezone UTC for a schedule that was sent without one (REFERENCE §2.6).
      triggerRule: { defaults: { timezone: ['UTC'], filter: [], sources: [], initializeCursor: [] }, children: { dataModelingQuery: 'free', filter: 'free', sources: 'free' } },
    },
  },
};

/** True when `value` under `key` means the same as leaving the key out. */
function isDefault(shape: Shape, key: string, value: unknown): boolean {
  const defaults = shape.defaults?.[key];
  if (defaults === undefined) return false;
  return value === null || value === undefined || defaults.some((d) => deepEqual(d, value));
}

function childShape(shape: Shape, key: string, parentType?: string): ShapeRef | undefined {
  const ref = shape.children?.[key];
  if (ref === 'parameters') return parentType !== undefined ? PARAMETERS[parentType] ?? 'free' : 'free';
  return ref;
}

function taskIdOf(task: unknown): string | undefined {
  return isPlainObject(task) && typeof task['externalId'] === 'string' ? task['externalId'] : undefined;
}

const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

// ---- canonical forms ---------------------------------------------------------------------------------

function canonicalOf(ref: ShapeRef | undefined, value: unknown, type?: string): unknown {
  if (ref === undefined || ref === 'free') return value;
  if (ref === 'tasks') {
    if (!Array.isArray(value)) return value;
    const tasks = value.map((t) => canonicalOf(TASK, t));
    // Task order has no meaning: the DAG is in dependsOn.
    return tasks.every((t) => taskIdOf(t) !== undefined) ? [...tasks].sort((a, b) => byId(taskIdOf(a)!, taskIdOf(b)!)) : tasks;
  }
  if (ref === 'dependsOn') {
    if (!Array.isArray(value)) return value;
    const ids = value.map(taskIdOf);
    if (ids.some((id) => id === undefined)) return value;
    return [...new Set(ids as string[])].sort(byId).map((externalId) => ({ externalId }));
  }
  if (ref === 'parameters') return canonicalOf(type !== undefined ? PARAMETERS[type] ?? 'free' : 'free', value);
  if (Array.isArray(value)) return value.map((item) => canonicalOf(ref, item));
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  const ownType = typeof value['type'] === 'string' ? value['type'] : undefined;
  for (const [key, child] of Object.entries(value)) {
    if (ref.responseOnly?.includes(key) || ref.ignored?.includes(key)) continue;
    if (isDefault(ref, key, child)) continue;
    out[key] = canonicalOf(childShape(ref, key, ownType), child, ownType);
  }
  // asyncComplete is how some answers spell isAsyncComplete (REFERENCE §2.2.2).
  if ('asyncComplete' in out && !('isAsyncComplete' in out)) {
    out['isAsyncComplete'] = out['asyncComplete'];
    delete out['asyncComplete'];
  }
  return out;
}

/** The meaning of a resource: defaults, nulls and answer-only keys dropped; tasks and dependsOn sorted. */
export function canonicalResource(kind: DefinitionResourceKind, value: unknown): unknown {
  const canonical = canonicalOf(SHAPES[kind], value);
  if (kind === 'version' && isPlainObject(canonical) && typeof canonical['version'] === 'number') canonical['version'] = String(canonical['version']);
  return canonical;
}

export const canonicalWorkflow = (value: unknown): unknown => canonicalResource('workflow', value);
export const canonicalVersion = (value: unknown): unknown => canonicalResource('version', value);
export const canonicalTrigger = (value: unknown): unknown => canonicalResource('trigger', value);

export function sameResource(kind: DefinitionResourceKind, a: unknown, b: unknown): boolean {
  return deepEqual(canonicalResource(kind, a), canonicalResource(kind, b));
}

export const sameWorkflow = (a: unknown, b: unknown): boolean => sameResource('workflow', a, b);
export const sameVersion = (a: unknown, b: unknown): boolean => sameResource('version', a, b);
export const sameTrigger = (a: unknown, b: unknown): boolean => sameResource('trigger', a, b);

// ---- the deployed resource in the file's own terms -----------------------------------------------------

function alignOf(ref: ShapeRef | undefined, deployed: unknown, local: unknown, type?: string): unknown {
  if (ref === undefined || ref === 'free') return deployed;
  if (ref === 'parameters') return alignOf(type !== undefined ? PARAMETERS[type] ?? 'free' : 'free', deployed, local);
  if (ref === 'tasks') {
    if (!Array.isArray(deployed)) return deployed;
    const localTasks = Array.isArray(local) ? local : [];
    const localById = new Map<string, unknown>();
    for (const t of localTasks) {
      const id = taskIdOf(t);
      if (id !== undefined && !localById.has(id)) localById.set(id, t);
    }
    const order = new Map([...localById.keys()].map((id, i) => [id, i]));
    const aligned = deployed.map((t) => {
      const id = taskIdOf(t);
      return alignOf(TASK, t, id !== undefined ? localById.get(id) : undefined);
    });
    // The file's order first; tasks only CDF has come after, in CDF's order.
    return aligned
      .map((t, i) => ({ t, i, at: order.get(taskIdOf(t) ?? '') ?? Number.MAX_SAFE_INTEGER }))
      .sort((a, b) => a.at - b.at || a.i - b.i)
      .map((x) => x.t);
  }
  if (ref === 'dependsOn') {
    if (!Array.isArray(deployed) || !Array.isArray(local)) return deployed;
    const mine = canonicalOf('dependsOn', local);
    return deepEqual(mine, canonicalOf('dependsOn', deployed)) ? local : deployed;
  }
  if (Array.isArray(deployed)) {
    if (!Array.isArray(local) || local.length !== deployed.length) return deployed;
    return deployed.map((item, i) => alignOf(ref, item, local[i]));
  }
  if (!isPlainObject(deployed)) return deployed;
  const mine = isPlainObject(local) ? local : {};
  const ownType = typeof deployed['type'] === 'string' ? deployed['type'] : undefined;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(deployed)) {
    if (ref.responseOnly?.includes(key)) {
      // A file saved from an answer keeps its own (a hash of another server is noise, not a difference).
      if (Object.prototype.hasOwnProperty.call(mine, key)) out[key] = mine[key];
      continue;
    }
    const has = Object.prototype.hasOwnProperty.call(mine, key);
    if (!has) {
      // A default the file leaves out is left out; anything else CDF holds is shown.
      if (isDefault(ref, key, value)) continue;
      out[key] = alignOf(childShape(ref, key, ownType), value, undefined, ownType);
      continue;
    }
    const here = mine[key];
    if (isDefault(ref, key, value) && isDefault(ref, key, here)) {
      // Both mean "not set" (an explicit null in the file, 3 retries in CDF): the file's way of saying it.
      out[key] = here;
      continue;
    }
    out[key] = alignOf(childShape(ref, key, ownType), value, here, ownType);
  }
  // Keys the file writes as a default that CDF does not echo (isAsyncComplete: false, data: {}), and
  // Toolkit-only keys, are the file's own.
  for (const [key, value] of Object.entries(mine)) {
    if (Object.prototype.hasOwnProperty.call(out, key) || Object.prototype.hasOwnProperty.call(deployed, key)) continue;
    if (isDefault(ref, key, value) || ref.ignored?.includes(key) || ref.responseOnly?.includes(key)) out[key] = value;
  }
  if ('asyncComplete' in out && 'isAsyncComplete' in mine && !('isAsyncComplete' in out)) {
    out['isAsyncComplete'] = out['asyncComplete'];
    delete out['asyncComplete'];
  }
  return out;
}

/**
 * The deployed resource as the file would write it: keys the file leaves out are left out when CDF holds
 * their default, explicit defaults and nulls of the file are kept, tasks follow the file's order, and a
 * dependsOn that names the same tasks keeps the file's order. Compared with the file, what is left is
 * what differs.
 */
export function alignResource(kind: DefinitionResourceKind, deployed: unknown, local: unknown): unknown {
  return alignOf(SHAPES[kind], deployed, local);
}

export const alignVersion = (deployed: unknown, local: unknown): unknown => alignResource('version', deployed, local);
export const alignWorkflow = (deployed: unknown, local: unknown): unknown => alignResource('workflow', deployed, local);
export const alignTrigger = (deployed: unknown, local: unknown): unknown => alignResource('trigger', deployed, local);

// ---- differences for people ------------------------------------------------------------------------------

const MAX_SHOWN = 40;

function show(value: unknown): string {
  if (value === undefined) return 'not set';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function isTaskList(value: unknown): value is unknown[] {
  return Array.isArray(value) && value.length > 0 && value.every((t) => isPlainObject(t) && typeof t['externalId'] === 'string' && 'type' in t);
}

/**
 * What differs between a file's resource and the deployed one, one line each, e.g.
 * `task "load" › timeout: 7200 in the file, 3600 in CDF`, `task "notify": only in the file`. Empty when
 * they mean the same. At most 40 lines.
 */
export function describeDifferences(kind: DefinitionResourceKind, local: unknown, deployed: unknown): string[] {
  const lines: string[] = [];
  const at = (where: string, key: string): string => (where === '' ? key : `${where} › ${key}`);
  const walk = (a: unknown, b: unknown, where: string): void => {
    if (lines.length >= MAX_SHOWN || deepEqual(a, b)) return;
    if (isPlainObject(a) && isPlainObject(b)) {
      // Tasks last: what the definition says about itself reads first.
      const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort((x, y) => Number(x === 'tasks') - Number(y === 'tasks'));
      for (const key of keys) walk(a[key], b[key], at(where, key));
      return;
    }
    if ((isTaskList(a) || isTaskList(b)) && (Array.isArray(a) || a === undefined) && (Array.isArray(b) || b === undefined)) {
      const mine: readonly unknown[] = Array.isArray(a) ? a : [];
      const theirs: readonly unknown[] = Array.isArray(b) ? b : [];
      const ids = [...new Set([...mine, ...theirs].map(taskIdOf))] as string[];
      for (const id of ids) {
        const x: unknown = mine.find((t) => taskIdOf(t) === id);
        const y: unknown = theirs.find((t) => taskIdOf(t) === id);
        const name = where.endsWith('workflowDefinition › tasks') ? `task "${id}"` : at(where, `task "${id}"`);
        if (x === undefined) lines.push(`${name}: only in CDF`);
        else if (y === undefined) lines.push(`${name}: only in the file`);
        else walk(x, y, name);
      }
      return;
    }
    lines.push(`${where || 'the resource'}: ${show(a)} in the file, ${show(b)} in CDF`);
  };
  walk(canonicalResource(kind, local), canonicalResource(kind, deployed), '');
  return lines.slice(0, MAX_SHOWN);
}
