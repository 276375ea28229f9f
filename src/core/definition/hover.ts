// Hovers in definition files (Markdown): a key's description from the generated schema; a `{{ variable }}`
// and its value; a reference's target task and, when an execution of the deployed version is known, the
// value it had there; a dependsOn entry's task; a cron expression in words.
import { describeCron } from '../schedule/cron';
import { typeSummary } from './completion';
import { type DefinitionDocument, resourceIdentity } from './document';
import { type SchemaSet } from './schema/schemaSet';
import { type PathSegment, type SourceNode, child, locate } from './source';
import { type TemplateContext } from './diagnose';
import { findVisibleTask, referenceSpans, referencedTaskId, resourceAt, taskPositionOf, upstreamOf } from './taskScope';

export interface HoverResult {
  readonly markdown: string;
  readonly start: number;
  readonly end: number;
}

/** A value from a recent execution of the deployed version, when there is one. */
export interface ExecutionValue {
  readonly value: unknown;
  readonly executionId: string;
  /** When the execution started, ms since the epoch. */
  readonly time?: number;
  readonly status?: string;
}

export interface HoverContext {
  readonly schemas: SchemaSet;
  readonly templates?: TemplateContext;
  /** The value a reference had in a recent execution of the deployed version (undefined: none known). */
  executionValue?(version: { workflowExternalId: string; version: string }, reference: string): Promise<ExecutionValue | undefined>;
  /** Extra lines about an external id (a Toolkit function's folder, a deployed version). */
  externalIdInfo?(kind: 'function' | 'transformation' | 'version', id: string, workflowExternalId?: string): Promise<string | undefined> | string | undefined;
}

const MAX_VALUE_CHARS = 600;

export async function hoverAt(doc: DefinitionDocument, offset: number, context: HoverContext): Promise<HoverResult | undefined> {
  const template = doc.templates.find((t) => offset >= t.start && offset <= t.end);
  if (template) return { markdown: templateHover(template.name, template.resolved, template.value, context.templates), start: template.start, end: template.end };

  const loc = locate(doc.root, offset);
  if (!loc) return undefined;
  const at = resourceAt(doc, loc.path);
  if (!at) return undefined;
  const resourceSchema = context.schemas.resource(doc.shape, at.resource.kind);

  if (loc.onKey) {
    const path = [...at.rest, loc.onKey.key];
    const text = schemaHover(context.schemas, resourceSchema, at.resource.node, path, loc.onKey.key);
    return text ? { markdown: text, start: loc.onKey.keyStart, end: loc.onKey.keyEnd } : undefined;
  }
  const node = loc.node;
  if (node.kind !== 'scalar') return undefined;
  const span = { start: node.start, end: node.end };

  // References inside task parameters.
  const position = taskPositionOf(at.resource, at.rest);
  if (position?.task && position.rest[0] === 'parameters') {
    const refs = referenceSpans(doc, node);
    const ref = refs.find((r) => offset >= r.start && offset <= r.end);
    if (ref) {
      const lines = referenceHover(position, ref.inner);
      const id = resourceIdentity(at.resource);
      if (context.executionValue && id?.kind === 'version') {
        const seen = await context.executionValue({ workflowExternalId: id.workflowExternalId, version: id.version }, ref.inner).catch(() => undefined);
        if (seen) lines.push('', executionLine(seen));
      }
      return { markdown: lines.join('\n'), start: ref.start, end: ref.end };
    }
  }
  // A dependsOn entry: the task it names.
  if (position?.task && position.rest[0] === 'dependsOn' && position.rest[2] === 'externalId' && typeof node.value === 'string') {
    const target = findVisibleTask(position.list, node.value);
    const lines = target ? taskSummary(target.task.node, node.value) : [`No task **${node.value}** in this ${position.list.outer ? 'subworkflow' : 'definition'}.`];
    return { markdown: lines.join('\n'), ...span };
  }
  // External ids with what the workspace or the project knows about them.
  const last = at.rest.slice(-3);
  if (typeof node.value === 'string' && context.externalIdInfo && !node.value.includes('${')) {
    let info: string | undefined;
    if (last[0] === 'parameters' && last[1] === 'function' && last[2] === 'externalId') info = await context.externalIdInfo('function', node.value);
    else if (last[0] === 'parameters' && last[1] === 'transformation' && last[2] === 'externalId') info = await context.externalIdInfo('transformation', node.value);
    if (info) {
      const base = schemaHover(context.schemas, resourceSchema, at.resource.node, at.rest, String(at.rest[at.rest.length - 1])) ?? '';
      return { markdown: `${info}\n\n---\n\n${base}`, ...span };
    }
  }
  // A cron expression in words.
  if (at.resource.kind === 'trigger' && at.rest.join('.') === 'triggerRule.cronExpression' && typeof node.value === 'string') {
    try {
      return { markdown: `**${escape(node.value)}**: ${escape(describeCron(node.value))}${timezoneNote(at.resource.node)}`, ...span };
    } catch {
      // an invalid expression has its own diagnostic
    }
  }
  const key = at.rest[at.rest.length - 1];
  const text = schemaHover(context.schemas, resourceSchema, at.resource.node, at.rest, typeof key === 'string' ? key : undefined, node);
  return text ? { markdown: text, ...span } : undefined;
}

function timezoneNote(trigger: SourceNode): string {
  const tz = child(child(trigger, 'triggerRule'), 'timezone');
  return ` (${tz?.kind === 'scalar' && typeof tz.value === 'string' ? tz.value : 'UTC'})`;
}

function templateHover(name: string, resolved: boolean, value: unknown, context: TemplateContext | undefined): string {
  const where = context ? `config.${context.environment}.yaml${context.module ? `, module ${context.module}` : ''}` : 'no config.<env>.yaml found';
  if (resolved) return `**Toolkit variable** \`${name}\` = \`${escapeCode(JSON.stringify(value))}\`\n\nFrom ${where}. Pick another environment from the status bar.`;
  return `**Toolkit variable** \`${name}\` has no value (${where}).`;
}

function schemaHover(set: SchemaSet, resource: ReturnType<SchemaSet['resource']>, root: SourceNode, path: readonly PathSegment[], key: string | undefined, valueNode?: SourceNode): string | undefined {
  const ref = set.at(resource, root, path);
  if (!ref) return undefined;
  const resolved = set.deref(ref.doc, ref.schema);
  const branches = set.branches(ref);
  const descriptionText = [ref.schema['description'], resolved['description'], ...branches.map((b) => b['description'])].find((d): d is string => typeof d === 'string');
  const lines = [`**${key ?? 'value'}**: ${typeSummary(set, ref.doc, ref.schema)}`];
  if (descriptionText) lines.push('', descriptionText.trim());
  const def = resolved['default'] ?? branches.map((b) => b['default']).find((d) => d !== undefined);
  if (def !== undefined) lines.push('', `Default: \`${JSON.stringify(def)}\``);
  if (valueNode?.kind === 'scalar' && Array.isArray(resolved['enum']) && typeof valueNode.value === 'string') {
    const meaning = descriptionText ? optionMeaning(descriptionText, valueNode.value) : undefined;
    if (meaning) lines.splice(1, 0, '', `\`${escapeCode(valueNode.value)}\`: ${meaning}`);
  }
  return lines.join('\n');
}

/** The line of a description that explains one enum option ("- `skipTask`: ..."). */
function optionMeaning(description: string, option: string): string | undefined {
  for (const line of description.split('\n')) {
    const m = /^\s*-?\s*`?([A-Za-z]+)`?\s*:\s*(.+)$/.exec(line);
    if (m && m[1] === option && m[2]) return m[2].trim();
  }
  return undefined;
}

function taskSummary(task: SourceNode, id: string): string[] {
  const type = child(task, 'type');
  const name = child(task, 'name');
  const description = child(task, 'description');
  const lines = [`**Task ${escape(id)}**${type?.kind === 'scalar' ? ` · ${String(type.value)}` : ''}${name?.kind === 'scalar' && typeof name.value === 'string' ? ` · ${escape(name.value)}` : ''}`];
  if (description?.kind === 'scalar' && typeof description.value === 'string') lines.push('', escape(description.value));
  return lines;
}

function referenceHover(position: NonNullable<ReturnType<typeof taskPositionOf>>, inner: string): string[] {
  if (inner === 'workflow.input' || inner.startsWith('workflow.input.')) {
    const key = inner.slice('workflow.input.'.length);
    return [`**Workflow input**${key ? ` \`${escapeCode(key)}\`` : ''}`, '', 'Resolved from the input the execution was started with (a run\'s JSON input, or a trigger\'s input).'];
  }
  const visible = [...position.list.tasks, ...(position.list.outer?.list.tasks ?? [])];
  const id = referencedTaskId(inner, visible.map((t) => t.externalId));
  const target = id === undefined ? undefined : findVisibleTask(position.list, id);
  if (!id || !target) return [`**\${${escape(inner)}}**`, '', id ? `There is no task **${escape(id)}** here.` : 'Not a reference CDF resolves.'];
  const lines = taskSummary(target.task.node, id);
  const part = inner.slice(id.length + 1);
  lines.push('', `Reads \`${escapeCode(part || 'output')}\` of this task.`);
  const upstream = upstreamOf(position.list, position.task);
  if (!upstream.has(id)) lines.push('', `⚠ **${escape(id)}** is not upstream of **${escape(position.task?.externalId ?? '')}**: add it to dependsOn.`);
  return lines;
}

function executionLine(seen: ExecutionValue): string {
  let json = JSON.stringify(seen.value, null, 2) ?? 'null';
  if (json.length > MAX_VALUE_CHARS) json = `${json.slice(0, MAX_VALUE_CHARS)}\n…`;
  const when = seen.time ? ` (${new Date(seen.time).toISOString().replace('T', ' ').slice(0, 16)} UTC)` : '';
  return `In execution \`${seen.executionId}\`${when}${seen.status ? `, ${seen.status.toLowerCase()}` : ''}:\n\n\`\`\`json\n${json.replace(/```/g, '` ` `')}\n\`\`\``;
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

function escapeCode(text: string): string {
  return text.replace(/`/g, "'");
}

/** What an execution's data held at a reference (`workflow.input.a`, `task.output.response.x`); undefined when absent. */
export function valueAtReference(
  execution: { readonly input?: unknown; readonly executedTasks: readonly { readonly externalId: string; readonly parentTaskExternalId?: string | null; readonly input?: unknown; readonly output?: unknown }[] },
  inner: string,
): { found: boolean; value?: unknown } {
  const walk = (start: unknown, keys: readonly string[]): { found: boolean; value?: unknown } => {
    let value = start;
    for (const key of keys) {
      if (typeof value !== 'object' || value === null || !(key in value)) return { found: false };
      value = (value as Record<string, unknown>)[key];
    }
    return { found: true, value };
  };
  if (inner === 'workflow.input' || inner.startsWith('workflow.input.')) {
    return walk(execution.input, inner === 'workflow.input' ? [] : inner.slice('workflow.input.'.length).split('.'));
  }
  const ids = execution.executedTasks.map((t) => t.externalId);
  const id = referencedTaskId(inner, ids);
  if (id === undefined) return { found: false };
  const [part, ...keys] = inner.slice(id.length + 1).split('.');
  // The last run of a top-level task (a retried task appears once per attempt in some payloads).
  const task = [...execution.executedTasks].reverse().find((t) => t.externalId === id && (t.parentTaskExternalId ?? null) === null);
  if (!task || (part !== 'output' && part !== 'input')) return { found: false };
  return walk(part === 'output' ? task.output : task.input, keys);
}
