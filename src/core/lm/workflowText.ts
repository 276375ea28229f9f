// Workflows, versions and definitions as compact text for a language model, and a definition check's
// findings. Bounded like every tool answer; cuts say how to get the rest.
import { type DefinitionProblem, formatReference, taskParameterReferences, topologicalOrder, type WorkflowDefinitionLike } from '../definition';
import { formatTimestamp } from '../executions/format';
import { missingInputReferences } from '../run';
import { type Workflow, type WorkflowVersion } from '../schemas/workflows';
import { type TaskDefinition } from '../schemas/tasks';
import { BoundedText, oneLine, plural } from './budget';
import { NOTE_RESERVE, type TextContext, where } from './executionText';
import { TOOL } from './inputs';

export function newestFirst(a: WorkflowVersion, b: WorkflowVersion): number {
  return (b.createdTime ?? 0) - (a.createdTime ?? 0) || b.version.localeCompare(a.version, undefined, { numeric: true });
}

function versionBrief(v: WorkflowVersion): string {
  const n = v.workflowDefinition.tasks.length;
  return `${v.version} (${plural(n, 'task')}${v.lastUpdatedTime ? `, updated ${formatTimestamp(v.lastUpdatedTime).slice(0, 10)}` : ''})`;
}

/** Input keys a definition reads as `${workflow.input.<key>}`, each with the tasks that read it. */
export function inputKeys(definition: WorkflowDefinitionLike): string[] {
  return missingInputReferences(definition, {}).map((m) => `${m.path} (${m.taskExternalIds.join(', ')})`);
}

/** Every workflow with its versions, newest first. */
export function formatWorkflowList(workflows: readonly Workflow[], versions: ReadonlyMap<string, WorkflowVersion[]>, ctx: TextContext): string {
  const out = new BoundedText(ctx.maxChars);
  out.addClipped(`Workflows on ${where(ctx)}: ${workflows.length}.`, NOTE_RESERVE);
  if (workflows.length === 0) {
    out.note('There are no workflows yet: create one (and a version with its tasks) in CDF first.');
    return out.toString();
  }
  let shown = 0;
  for (const w of workflows) {
    const vs = versions.get(w.externalId) ?? [];
    const parts = [`- ${w.externalId}`];
    if (w.description) parts.push(`"${oneLine(w.description, 160)}"`);
    if (w.dataSetId != null) parts.push(`data set ${w.dataSetId}`);
    parts.push(vs.length ? `versions: ${vs.slice(0, 6).map(versionBrief).join(', ')}${vs.length > 6 ? ` and ${vs.length - 6} older` : ''}` : 'no versions');
    if (!out.add(parts.join('; '), NOTE_RESERVE)) break;
    shown++;
  }
  if (shown < workflows.length) {
    out.note(`[truncated: ${workflows.length - shown} more workflows not shown: ${oneLine(workflows.slice(shown).map((w) => w.externalId).join(', '), 300)}. Call ${TOOL.listWorkflows} with workflowExternalId for one.]`);
  }
  out.note(`A version's tasks: ${TOOL.listWorkflows} {"workflowExternalId": "<id>", "version": "<version>"}.`);
  return out.toString();
}

/** One workflow and its versions, newest first, with the input keys each reads. */
export function formatWorkflowVersions(workflow: Workflow, versions: readonly WorkflowVersion[], ctx: TextContext): string {
  const out = new BoundedText(ctx.maxChars);
  const facts = [`Workflow ${workflow.externalId} on ${where(ctx)}`];
  if (workflow.description) facts.push(`"${oneLine(workflow.description, 400)}"`);
  if (workflow.dataSetId != null) facts.push(`data set ${workflow.dataSetId}`);
  if (workflow.maxConcurrentExecutions != null) facts.push(`at most ${plural(workflow.maxConcurrentExecutions, 'concurrent execution')}`);
  out.addClipped(`${facts.join('; ')}; ${plural(versions.length, 'version')}, newest first:`, NOTE_RESERVE);
  let shown = 0;
  for (const v of versions) {
    const keys = inputKeys(v.workflowDefinition);
    const line =
      `- ${versionBrief(v)}${v.workflowDefinition.description ? ` "${oneLine(v.workflowDefinition.description, 200)}"` : ''}` +
      `; tasks: ${oneLine(v.workflowDefinition.tasks.map((t) => `${t.externalId} [${t.type}]`).join(', '), 400)}` +
      `; input keys read: ${keys.length ? oneLine(keys.join(', '), 300) : 'none'}`;
    if (!out.add(line, NOTE_RESERVE)) break;
    shown++;
  }
  if (shown < versions.length) out.note(`[truncated: ${versions.length - shown} older versions not shown: ${oneLine(versions.slice(shown).map((v) => v.version).join(', '), 300)}.]`);
  out.note(`A version's tasks in detail: ${TOOL.listWorkflows} {"workflowExternalId": "${workflow.externalId}", "version": "<version>"}. Its runs: ${TOOL.listExecutions}.`);
  return out.toString();
}

function targetOf(t: TaskDefinition): string {
  const p = (t.parameters ?? {}) as Record<string, Record<string, unknown> | undefined> & { isAsyncComplete?: unknown };
  const s = (v: unknown) => (typeof v === 'string' ? v : undefined);
  switch (t.type) {
    case 'function':
      return `function ${s(p.function?.externalId) ?? '?'}${p.isAsyncComplete === true ? ', completed asynchronously' : ''}`;
    case 'transformation':
      return `transformation ${s(p.transformation?.externalId) ?? '?'}`;
    case 'cdf':
      return `cdf ${s(p.cdfRequest?.method) ?? '?'} ${s(p.cdfRequest?.resourcePath) ?? '?'}`;
    case 'dynamic':
      return `dynamic, tasks from ${s(p.dynamic?.tasks) ?? '?'}`;
    case 'subworkflow':
      return s(p.subworkflow?.workflowExternalId) ? `subworkflow ${s(p.subworkflow?.workflowExternalId)}@${s(p.subworkflow?.version) ?? '?'}` : 'inline subworkflow';
    case 'simulation':
      return `simulation ${s(p.simulation?.routineExternalId) ?? '?'}`;
    default:
      return t.type;
  }
}

/** A version's definition: tasks in an order they can run, what each runs, its settings and references. */
export function formatVersionDefinition(v: WorkflowVersion, problems: readonly DefinitionProblem[], ctx: TextContext): string {
  const out = new BoundedText(ctx.maxChars);
  const d = v.workflowDefinition;
  out.addClipped(
    `${v.workflowExternalId} version ${v.version} on ${where(ctx)}: ${plural(d.tasks.length, 'task')}; definition hash ${d.hash}` +
      `${v.lastUpdatedTime ? `; updated ${formatTimestamp(v.lastUpdatedTime)}` : ''}${d.description ? `; "${oneLine(d.description, 300)}"` : ''}.`,
    NOTE_RESERVE,
  );
  const keys = inputKeys(d);
  out.addClipped(`input keys read: ${keys.length ? keys.join(', ') : 'none'}.`, NOTE_RESERVE);
  let order: string[];
  try {
    order = topologicalOrder(d);
  } catch {
    order = d.tasks.map((t) => t.externalId);
  }
  const byId = new Map(d.tasks.map((t) => [t.externalId, t]));
  out.addClipped('tasks, in an order they can run:', NOTE_RESERVE);
  let shown = 0;
  for (const [i, taskId] of order.entries()) {
    const t = byId.get(taskId);
    if (!t) continue;
    const facts = [`${i + 1}. ${t.externalId} [${targetOf(t)}]`];
    if (t.name) facts.push(`"${oneLine(t.name, 80)}"`);
    const deps = (t.dependsOn ?? []).map((x) => x.externalId);
    facts.push(deps.length ? `after ${deps.join(', ')}` : 'no dependencies');
    const settings = [t.retries != null ? `retries ${t.retries}` : '', t.timeout != null ? `timeout ${t.timeout} s` : '', t.onFailure ? `onFailure ${t.onFailure}` : ''].filter(Boolean);
    if (settings.length) facts.push(settings.join(', '));
    const refs = taskParameterReferences(t, '').whole.map((r) => formatReference(r.reference));
    if (refs.length) facts.push(`reads ${oneLine([...new Set(refs)].join(', '), 300)}`);
    if (!out.add(facts.join('; '), NOTE_RESERVE)) break;
    shown++;
  }
  if (shown < order.length) out.note(`[truncated: ${order.length - shown} more tasks not shown: ${oneLine(order.slice(shown).join(', '), 400)}.]`);
  const errors = problems.filter((p) => p.severity === 'error').length;
  out.note(problems.length ? `check: ${plural(errors, 'error')}, ${plural(problems.length - errors, 'warning')}: ${oneLine(problems.map(describeProblem).join(' | '), 800)}` : 'check: no problems found.');
  return out.toString();
}

export function describeProblem(p: DefinitionProblem): string {
  return `${p.severity}${p.path ? ` at ${p.path}` : ''}: ${p.message}`;
}
