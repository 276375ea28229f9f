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

/**
 * Each task's upstream tasks (its dependencies, theirs, and so on), cycles tolerated. The sets are bit sets
 * over the task list: a chain of n tasks costs n²/32 word operations, not n² set insertions.
 */
export function upstreamTasks(tasks: readonly TaskDefinitionLike[]): Map<string, ReadonlySet<string>> {
  const deps = dependencyMap(tasks);
  const ids = [...deps.keys()];
  const index = new Map(ids.map((id, i) => [id, i]));
  const words = Math.ceil(ids.length / 32) || 1;
  const bits = ids.map(() => new Uint32Array(words));
  const depIndexes = ids.map((id) => (deps.get(id) ?? []).map((d) => index.get(d) as number));
  // Propagate until nothing changes: one pass in dependency order for a DAG, a few more around cycles.
  const order = dependencyOrder(ids, depIndexes);
  for (let changed = true; changed; ) {
    changed = false;
    for (const i of order) {
      const own = bits[i] as Uint32Array;
      for (const d of depIndexes[i]) {
        const from = bits[d] as Uint32Array;
        for (let w = 0; w < words; w++) {
          // `>>> 0`: bit 31 makes an int32 negative, which a Uint32Array stores as positive.
          const next = ((own[w]) | (from[w]) | (w === d >>> 5 ? 1 << (d & 31) : 0)) >>> 0;
          if (next !== own[w]) {
            own[w] = next;
            changed = true;
          }
        }
      }
    }
  }
  return new Map(ids.map((id, i) => [id, new BitSetView(bits[i] as Uint32Array, ids, index)]));
}

/** Indexes with dependencies first where there are no cycles (the rest in list order). */
function dependencyOrder(ids: readonly string[], depIndexes: readonly number[][]): number[] {
  const state = new Uint8Array(ids.length);
  const order: number[] = [];
  const visit = (start: number): void => {
    // Iterative DFS: definitions may hold hundreds of tasks in a chain.
    const stack: [number, number][] = [[start, 0]];
    state[start] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const deps = depIndexes[top[0]];
      if (top[1] < deps.length) {
        const d = deps[top[1]++];
        if (state[d] === 0) {
          state[d] = 1;
          stack.push([d, 0]);
        }
      } else {
        stack.pop();
        order.push(top[0]);
      }
    }
  };
  for (let i = 0; i < ids.length; i++) if (state[i] === 0) visit(i);
  return order;
}

/** A read-only set of task ids backed by a bit set. */
class BitSetView implements ReadonlySet<string> {
  constructor(
    private readonly bits: Uint32Array,
    private readonly ids: readonly string[],
    private readonly index: ReadonlyMap<string, number>,
  ) {}

  has(id: string): boolean {
    const i = this.index.get(id);
    return i !== undefined && ((this.bits[i >>> 5]) & (1 << (i & 31))) !== 0;
  }

  get size(): number {
    let n = 0;
    for (const _ of this) n++;
    return n;
  }

  *values(): SetIterator<string> {
    for (let i = 0; i < this.ids.length; i++) if (((this.bits[i >>> 5]) & (1 << (i & 31))) !== 0) yield this.ids[i];
  }

  keys(): SetIterator<string> {
    return this.values();
  }

  *entries(): SetIterator<[string, string]> {
    for (const v of this.values()) yield [v, v];
  }

  [Symbol.iterator](): SetIterator<string> {
    return this.values();
  }

  forEach(fn: (value: string, key: string, set: ReadonlySet<string>) => void): void {
    for (const v of this) fn(v, v, this);
  }
}
