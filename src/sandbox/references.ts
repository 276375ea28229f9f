// Resolves workflow references (`${workflow.input.x}`, `${task.output.y}`, `${task.input.z}`) in task
// parameters before a task starts. [emulator] Only whole-string references are replaced; other strings
// are left as they are. A reference to a task that is not upstream, or a path that does not exist,
// resolves to null (REFERENCE §2.3).

export interface ReferenceScope {
  workflowInput: Record<string, unknown> | undefined;
  /** Upstream tasks by external id: their resolved input and current output. */
  tasks: Map<string, { input: unknown; output: unknown }>;
}

const WHOLE = /^\$\{([^{}]+)\}$/;

function segmentsOf(path: string): string[] {
  // Accept both a.b.0 and a.b[0].
  return path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((s) => s.length > 0);
}

function walk(value: unknown, segments: string[]): unknown {
  let v = value;
  for (const seg of segments) {
    if (Array.isArray(v) && /^\d+$/.test(seg)) v = v[Number(seg)];
    else if (v !== null && typeof v === 'object' && Object.prototype.hasOwnProperty.call(v, seg)) v = (v as Record<string, unknown>)[seg];
    else return null;
    if (v === undefined) return null;
  }
  return v;
}

/** The value a single reference expression (without `${}`) points at. */
export function resolveExpression(expr: string, scope: ReferenceScope): unknown {
  const e = expr.trim();
  if (e === 'workflow.input' || e.startsWith('workflow.input.') || e.startsWith('workflow.input[')) {
    return walk(scope.workflowInput ?? {}, segmentsOf(e.slice('workflow.input'.length)));
  }
  // Task ids may contain dots: pick the longest upstream id the expression starts with.
  let best: string | undefined;
  for (const id of scope.tasks.keys()) {
    if ((e.startsWith(`${id}.output`) || e.startsWith(`${id}.input`)) && (!best || id.length > best.length)) best = id;
  }
  if (!best) return null;
  const rest = e.slice(best.length + 1);
  const task = scope.tasks.get(best)!;
  const kind = rest.startsWith('output') ? 'output' : 'input';
  const tail = rest.slice(kind.length);
  if (tail !== '' && !tail.startsWith('.') && !tail.startsWith('[')) return null;
  return walk(kind === 'output' ? task.output : task.input, segmentsOf(tail));
}

/** A deep copy of `value` with every whole-string reference replaced by what it points at. */
export function resolveReferences(value: unknown, scope: ReferenceScope): unknown {
  if (typeof value === 'string') {
    const m = WHOLE.exec(value.trim());
    if (!m) return value;
    const resolved = resolveExpression(m[1], scope);
    return resolved === undefined ? null : structuredClone(resolved);
  }
  if (Array.isArray(value)) return value.map((v) => resolveReferences(v, scope));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = resolveReferences(v, scope);
    return out;
  }
  return value;
}
