// The dependency graph of a definition's tasks: cycles, the order tasks can start, and what is upstream.
import { InputError } from '../errors';
import { type TaskDefinitionLike, type WorkflowDefinitionLike } from './types';

/** Each task's direct dependencies that name a task of the same list (unknown targets are ignored here). */
function dependencyMap(tasks: readonly TaskDefinitionLike[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const task of tasks) if (!map.has(task.externalId)) map.set(task.externalId, []);
  const filled = new Set<string>();
  for (const task of tasks) {
    const deps = map.get(task.externalId);
    if (!deps || filled.has(task.externalId)) continue; // a duplicate id: the first task with it wins
    filled.add(task.externalId);
    for (const dep of task.dependsOn ?? []) {
      if (map.has(dep.externalId) && !deps.includes(dep.externalId)) deps.push(dep.externalId);
    }
  }
  return map;
}

/**
 * Every dependency cycle, each once, as the ids along it with the first repeated at the end:
 * ['a', 'b', 'a'] means a depends on b and b depends on a. A task that depends on itself gives ['a', 'a'].
 */
export function findCycles(tasks: readonly TaskDefinitionLike[]): string[][] {
  const deps = dependencyMap(tasks);
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const seen = new Set<string>();
  const cycles: string[][] = [];
  const visit = (id: string): void => {
    state.set(id, 'active');
    stack.push(id);
    for (const dep of deps.get(id) ?? []) {
      const s = state.get(dep);
      if (s === 'active') {
        const cycle = stack.slice(stack.indexOf(dep));
        const key = rotationKey(cycle);
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push([...cycle, dep]);
        }
      } else if (s === undefined) {
        visit(dep);
      }
    }
    stack.pop();
    state.set(id, 'done');
  };
  for (const id of deps.keys()) if (!state.has(id)) visit(id);
  return cycles;
}

function rotationKey(cycle: readonly string[]): string {
  let start = 0;
  cycle.forEach((id, i) => {
    if (id < (cycle[start] ?? '')) start = i;
  });
  return JSON.stringify([...cycle.slice(start), ...cycle.slice(0, start)]);
}

/** 'a → b → a (each depends on the next)' */
export function describeCycle(cycle: readonly string[]): string {
  return `${cycle.join(' → ')} (each depends on the next)`;
}

/**
 * Task external ids in an order they can start: every task after all of its dependencies, ties broken by
 * definition order. Throws InputError naming the cycle when there is one.
 */
export function topologicalOrder(definition: WorkflowDefinitionLike): string[] {
  const deps = dependencyMap(definition.tasks);
  const cycles = findCycles(definition.tasks);
  const first = cycles[0];
  if (first) throw new InputError(`The tasks cannot be ordered: they depend on each other in a cycle, ${describeCycle(first)}.`);
  const order: string[] = [];
  const placed = new Set<string>();
  const ids = [...deps.keys()];
  while (order.length < ids.length) {
    // Definitions hold at most a few hundred tasks: a scan per step keeps the tie-break obvious.
    const next = ids.find((id) => !placed.has(id) && (deps.get(id) ?? []).every((d) => placed.has(d)));
    if (next === undefined) break; // unreachable without a cycle
    order.push(next);
    placed.add(next);
  }
  return order;
}

/** Each task's upstream tasks (its dependencies, theirs, and so on), cycles tolerated. */
export function upstreamTasks(tasks: readonly TaskDefinitionLike[]): Map<string, Set<string>> {
  const deps = dependencyMap(tasks);
  const result = new Map<string, Set<string>>();
  for (const id of deps.keys()) {
    const upstream = new Set<string>();
    const pending = [...(deps.get(id) ?? [])];
    while (pending.length > 0) {
      const dep = pending.pop() as string;
      if (upstream.has(dep)) continue;
      upstream.add(dep);
      pending.push(...(deps.get(dep) ?? []));
    }
    result.set(id, upstream);
  }
  return result;
}
