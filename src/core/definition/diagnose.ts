// Every finding on a definition document, each on the key or value it is about: syntax, the generated
// schema, the definition checks (graph, references, limits), Toolkit templates, triggers, and references to
// workflow versions found neither in the workspace nor in the connected project. The editor, the CLI and
// the language-model tools all call this.
import { type CheckOptions, type DefinitionProblem, checkDefinition } from './check';
import { type DefinitionDocument, type DefinitionResource, type ParseDefinitionOptions, parseDefinitionDocument } from './document';
import { type DefinitionFix, addDependency, removeListItem, renameKey, replaceScalar } from './fixes';
import { type LineColumn } from './lines';
import { type SchemaSet } from './schema/schemaSet';
import { type SchemaFinding, validateResource } from './schema/validate';
import { type PathSegment, type SourceNode, child, nodeAtPath, parseJsonPath, property } from './source';
import { type ToolkitVariableValue } from './templates';
import { isPlainObject } from './types';
import { parseCron, validateTimeZone } from '../schedule/cron';

export type FindingSeverity = 'error' | 'warning' | 'info';

export interface DefinitionFinding {
  readonly severity: FindingSeverity;
  readonly message: string;
  /** Offsets in the document's text. */
  readonly start: number;
  readonly end: number;
  /** Stable kind of finding, e.g. `syntax`, `schema.unknown-key`, `unknown-dependency`, `template-unresolved`. */
  readonly code: string;
  /** The task the finding is about, when there is one (the graph view puts it on that node). */
  readonly taskExternalId?: string;
  /** Edits that fix it, when the fix is clear. */
  readonly fixes?: readonly DefinitionFix[];
}

/** Where a referenced workflow version was looked for, and whether it was found. */
export interface VersionLookup {
  /**
   * 'found', 'missing' (looked everywhere it could be), or 'unknown' (the connected project could not be
   * asked yet): only 'missing' gives a warning.
   */
  (workflowExternalId: string, version: string): { readonly status: 'found' | 'missing' | 'unknown'; readonly searched: string };
}

/** The Toolkit context of a file's templates, for messages; undefined when no config was found. */
export interface TemplateContext {
  readonly environment: string;
  readonly configFile: string;
  readonly module?: string;
  readonly configError?: string;
}

export interface DiagnoseOptions {
  readonly schemas: SchemaSet;
  readonly versions?: VersionLookup;
  readonly templates?: TemplateContext;
}

const TOOLKIT_CHECKS: CheckOptions = { extraTaskTypes: ['functionApp'] };

export function diagnoseDefinition(doc: DefinitionDocument, options: DiagnoseOptions): DefinitionFinding[] {
  const findings: DefinitionFinding[] = [];
  for (const p of doc.syntaxProblems) findings.push({ severity: p.severity, message: p.message, start: p.start, end: p.end, code: 'syntax' });
  findings.push(...templateFindings(doc, options.templates));
  // Past a structural syntax error the tree is partial: what it lacks is not the user's mistake.
  if (doc.syntaxProblems.some((p) => p.fatal)) return findings.sort((a, b) => a.start - b.start || a.end - b.end);
  for (const stray of doc.strayEntries) {
    findings.push({ severity: 'error', message: `Each entry of this file must be a ${kindLabel(doc.fileKind)} (a mapping of keys), not ${stray.kind === 'array' ? 'a list' : 'a single value'}.`, start: stray.start, end: Math.max(stray.end, stray.start + 1), code: 'schema.type' });
  }
  for (const resource of doc.resources) findings.push(...resourceFindings(doc, resource, options));
  return dropMasked(doc, findings).sort((a, b) => a.start - b.start || a.end - b.end);
}

/** One call for text: parse it (YAML or JSON, Toolkit or API) and list its findings with line and column. */
export interface TextCheckOptions extends Omit<ParseDefinitionOptions, 'variables' | 'cache'> {
  readonly schemas: SchemaSet;
  /** Toolkit variables for `{{ name }}` templates; without them every template is reported unresolved. */
  readonly variables?: ReadonlyMap<string, ToolkitVariableValue>;
  readonly templates?: TemplateContext;
  readonly versions?: VersionLookup;
}

export interface LocatedFinding extends DefinitionFinding {
  /** Zero-based start and end positions. */
  readonly range: { readonly start: LineColumn; readonly end: LineColumn };
}

/**
 * Checks definition text without an editor (language-model tools, scripts). `definition` is false when the
 * text is not a definition at all (then there are no findings).
 */
export function checkDefinitionText(text: string, options: TextCheckOptions): { definition: boolean; findings: LocatedFinding[] } {
  const doc = parseDefinitionDocument(text, options);
  if (!doc) return { definition: false, findings: [] };
  const findings = diagnoseDefinition(doc, options).map((f) => ({ ...f, range: { start: doc.lines.positionAt(f.start), end: doc.lines.positionAt(f.end) } }));
  return { definition: true, findings };
}

function kindLabel(kind: DefinitionDocument['fileKind']): string {
  return kind === 'version' ? 'workflow version' : kind === 'trigger' ? 'workflow trigger' : 'workflow';
}

// ------------------------------------------------------------------------------------------ templates

function templateFindings(doc: DefinitionDocument, context: TemplateContext | undefined): DefinitionFinding[] {
  const out: DefinitionFinding[] = [];
  let configReported = false;
  for (const t of doc.templates) {
    if (t.resolved) continue;
    let message: string;
    if (!/^[A-Za-z0-9_-]+$/.test(t.name)) {
      message = `"${doc.text.slice(t.start, t.end)}" is not a Toolkit variable: a variable name has letters, digits and underscores, as in {{ my_variable }}.`;
    } else if (!context) {
      message = `{{ ${t.name} }} has no value: no Toolkit config.<env>.yaml was found in this file's folder or above it.`;
    } else if (context.configError && !configReported) {
      configReported = true;
      message = `{{ ${t.name} }} cannot be resolved: ${context.configError}`;
    } else {
      const module = context.module ? ` for module ${context.module}` : '';
      message = `{{ ${t.name} }} has no value${module} in config.${context.environment}.yaml: add it under variables (at the module's folder or above), or pick another environment.`;
    }
    out.push({ severity: 'warning', message, start: t.start, end: t.end, code: 'template-unresolved' });
  }
  return out;
}

/** Whether a node's text holds a template without a value (its value is then a mask, not what CDF would get). */
function isMasked(doc: DefinitionDocument, node: SourceNode): boolean {
  return node.templated === true && doc.templates.some((t) => !t.resolved && node.start < t.end && t.start < node.end);
}

/** Findings on a value that is a masked (unresolved) template say nothing true: the template's own warning does. */
function dropMasked(doc: DefinitionDocument, findings: DefinitionFinding[]): DefinitionFinding[] {
  const masked = doc.templates.filter((t) => !t.resolved);
  if (masked.length === 0) return findings;
  return findings.filter((f) => f.code === 'template-unresolved' || f.code === 'syntax' || !masked.some((t) => f.start < t.end && t.start < f.end));
}

// ------------------------------------------------------------------------------------------ resources

function resourceFindings(doc: DefinitionDocument, resource: DefinitionResource, options: DiagnoseOptions): DefinitionFinding[] {
  const out: DefinitionFinding[] = [];
  const schemaFindings = validateResource(options.schemas, options.schemas.resource(doc.shape, resource.kind), resource.node);
  const checks: DefinitionFinding[] = [];
  if (resource.kind === 'version') {
    const definitionNode = child(resource.node, 'workflowDefinition');
    const definition = resource.value['workflowDefinition'];
    if (definitionNode?.kind === 'object' && isPlainObject(definition) && Array.isArray(definition['tasks'])) {
      const problems = checkDefinition(definition as never, doc.shape === 'toolkit' ? TOOLKIT_CHECKS : {});
      for (const p of problems) checks.push(checkFinding(doc, definitionNode, p));
      checks.push(...inputReferences(definitionNode));
      checks.push(...subworkflowReferences(doc, definitionNode, options.versions));
    }
  } else if (resource.kind === 'trigger') {
    checks.push(...triggerFindings(doc, resource, options.versions));
  }
  // A definition check says it better than the schema where both speak of the same place.
  const taken = new Set(checks.map((c) => `${c.start}:${c.end}`));
  const takenPaths = new Set(checks.map((c) => (c as { path?: string }).path).filter((p): p is string => p !== undefined));
  for (const f of schemaFindings) {
    if (taken.has(`${f.start}:${f.end}`) || takenPaths.has(pathKey(f.path))) continue;
    out.push(schemaFinding(doc, resource, f));
  }
  out.push(...checks.map(({ path: _path, ...rest }: DefinitionFinding & { path?: string }) => rest));
  return out;
}

function pathKey(path: readonly PathSegment[]): string {
  return path.map(String).join('/');
}

function schemaFinding(doc: DefinitionDocument, resource: DefinitionResource, f: SchemaFinding): DefinitionFinding {
  const fixes: DefinitionFix[] = [];
  const suggestion = f.data?.suggestion;
  if (suggestion && f.code === 'unknown-key' && f.data?.key) {
    fixes.push({ title: `Change to "${suggestion}"`, edits: [renameKey(doc, f.start, f.end, suggestion)], preferred: true });
  } else if (suggestion && f.code === 'enum') {
    const node = nodeAtPath(resource.node, f.path);
    if (node?.kind === 'scalar') fixes.push({ title: `Change to "${suggestion}"`, edits: [replaceScalar(doc, node, suggestion)], preferred: true });
  }
  return {
    severity: f.severity,
    message: f.message,
    start: f.start,
    end: f.end,
    code: `schema.${f.code}`,
    ...taskOf(resource, f.path),
    ...(fixes.length ? { fixes } : {}),
  };
}

/** The task a path inside a version points into (`workflowDefinition.tasks[i]...`). */
function taskOf(resource: DefinitionResource, path: readonly PathSegment[]): { taskExternalId?: string } {
  if (resource.kind !== 'version' || path[0] !== 'workflowDefinition' || path[1] !== 'tasks' || typeof path[2] !== 'number') return {};
  const task = nodeAtPath(resource.node, path.slice(0, 3));
  const id = child(task, 'externalId');
  return id?.kind === 'scalar' && typeof id.value === 'string' ? { taskExternalId: id.value } : {};
}

// --------------------------------------------------------------------------------------- definition checks

/** Places a check's finding (a path inside the definition) on the document. */
function checkFinding(doc: DefinitionDocument, definitionNode: SourceNode, p: DefinitionProblem): DefinitionFinding & { path?: string } {
  const segments = p.path ? parseJsonPath(p.path) : [];
  const range = rangeAt(doc, definitionNode, segments, p.onKey === true);
  const fixes = fixesFor(doc, definitionNode, segments, p);
  return {
    severity: p.severity,
    message: p.message,
    ...range,
    code: p.code ?? 'definition',
    ...(p.taskExternalId !== undefined ? { taskExternalId: p.taskExternalId } : {}),
    ...(fixes.length ? { fixes } : {}),
    path: pathKey(['workflowDefinition', ...segments]),
  };
}

/**
 * The range for a path: a scalar's value, or the key holding an object or list (or the key itself with
 * `onKey`); when the path goes past what exists, the deepest thing that exists.
 */
export function rangeAt(doc: DefinitionDocument, root: SourceNode, path: readonly PathSegment[], onKey = false): { start: number; end: number } {
  let node: SourceNode = root;
  let key: { start: number; end: number } | undefined;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    if (typeof segment === 'number') {
      const next = node.kind === 'array' ? node.items[segment] : undefined;
      if (!next) break;
      node = next;
      key = undefined;
    } else {
      const prop = property(node, segment);
      if (!prop) break;
      key = { start: prop.keyStart, end: prop.keyEnd };
      if (!prop.value || (onKey && i === path.length - 1)) return key;
      node = prop.value;
    }
  }
  if (node.kind === 'scalar') return { start: node.start, end: Math.max(node.end, node.start + 1) };
  if (key) return key;
  if (node.kind === 'object' && node.properties[0]) return { start: node.properties[0].keyStart, end: node.properties[0].keyEnd };
  return { start: node.start, end: Math.min(node.end, doc.text.indexOf('\n', node.start) < 0 ? node.end : doc.text.indexOf('\n', node.start)) };
}

function fixesFor(doc: DefinitionDocument, definitionNode: SourceNode, segments: readonly PathSegment[], p: DefinitionProblem): DefinitionFix[] {
  const fixes: DefinitionFix[] = [];
  const target = nodeAtPath(definitionNode, segments);
  const suggestion = p.data?.suggestion;
  switch (p.code) {
    case 'unknown-dependency':
    case 'unknown-task-reference':
    case 'unknown-type':
    case 'cdfRequest-type':
    case 'limit':
      if (suggestion && target?.kind === 'scalar' && typeof target.value === 'string') {
        const replacement = p.code === 'unknown-task-reference' && p.data?.target ? target.value.replace(`\${${p.data.target}.`, `\${${suggestion}.`) : suggestion;
        fixes.push({ title: `Change to "${p.code === 'unknown-task-reference' ? suggestion : replacement}"`, edits: [replaceScalar(doc, target, replacement)], preferred: true });
      }
      break;
    case 'parameters-type-mismatch':
      if (suggestion && target?.kind === 'scalar') fixes.push({ title: `Change the type to "${suggestion}"`, edits: [replaceScalar(doc, target, suggestion)], preferred: true });
      break;
    case 'not-upstream': {
      const owner = p.data?.owner;
      const tasks = child(definitionNode, 'tasks');
      const ownerNode = tasks?.kind === 'array' ? tasks.items.find((t) => { const id = child(t, 'externalId'); return id?.kind === 'scalar' && id.value === owner; }) : undefined;
      if (owner && p.data?.target && ownerNode?.kind === 'object') {
        const edit = addDependency(doc, ownerNode, p.data.target);
        if (edit) fixes.push({ title: `Add "${p.data.target}" to the dependsOn of "${owner}"`, edits: [edit], preferred: true });
      } else if (p.data?.target && segments[0] === 'tasks' && typeof segments[1] === 'number') {
        // Inside an inline subworkflow: the task is found by its path.
        const listPath = segments.slice(0, segments.lastIndexOf('parameters') > 0 ? segments.lastIndexOf('parameters') : 2);
        const task = nodeAtPath(definitionNode, listPath);
        if (task?.kind === 'object') {
          const edit = addDependency(doc, task, p.data.target);
          if (edit) fixes.push({ title: `Add "${p.data.target}" to dependsOn`, edits: [edit], preferred: true });
        }
      }
      break;
    }
    case 'duplicate-task': {
      // tasks[i].externalId: remove task i.
      const listPath = segments.slice(0, -2);
      const index = segments[segments.length - 2];
      const list = nodeAtPath(definitionNode, listPath);
      if (list?.kind === 'array' && typeof index === 'number') {
        const edit = removeListItem(doc, list, index);
        if (edit) fixes.push({ title: `Remove this duplicate task "${p.data?.target ?? ''}"`, edits: [edit] });
      }
      break;
    }
    case 'duplicate-dependency':
    case 'depends-on-self': {
      const listPath = segments.slice(0, -2);
      const index = segments[segments.length - 2];
      const list = nodeAtPath(definitionNode, listPath);
      if (list?.kind === 'array' && typeof index === 'number') {
        const edit = removeListItem(doc, list, index);
        if (edit) fixes.push({ title: 'Remove this dependsOn entry', edits: [edit], preferred: true });
      }
      break;
    }
    case 'async-outside-function': {
      const params = nodeAtPath(definitionNode, segments.slice(0, -1));
      const prop = params?.kind === 'object' ? params.properties.find((q) => q.key === 'isAsyncComplete') : undefined;
      if (prop) {
        const start = doc.format === 'yaml' && doc.text[params!.start] !== '{' ? doc.text.lastIndexOf('\n', prop.keyStart - 1) + 1 : prop.keyStart;
        const endLine = doc.text.indexOf('\n', prop.value?.end ?? prop.keyEnd);
        const end = doc.format === 'yaml' && doc.text[params!.start] !== '{' ? (endLine < 0 ? doc.text.length : endLine + 1) : (prop.value?.end ?? prop.keyEnd);
        if (doc.format === 'yaml' && doc.text[params!.start] !== '{') fixes.push({ title: 'Remove isAsyncComplete', edits: [{ start, end, newText: '' }], preferred: true });
      }
      break;
    }
    default:
      break;
  }
  return fixes;
}

/** `${workflow.input.k}`: information on what input a run must give (read from the tree: no second walk of values). */
function inputReferences(definitionNode: SourceNode): (DefinitionFinding & { path?: string })[] {
  const out: (DefinitionFinding & { path?: string })[] = [];
  const tasks = child(definitionNode, 'tasks');
  if (tasks?.kind !== 'array') return out;
  for (const task of tasks.items) {
    const id = child(task, 'externalId');
    if (id?.kind !== 'scalar' || typeof id.value !== 'string') continue;
    const taskId = id.value;
    const inline = child(child(child(task, 'parameters'), 'subworkflow'), 'tasks');
    const visit = (node: SourceNode | undefined): void => {
      if (!node || node === inline) return;
      if (node.kind === 'object') for (const p of node.properties) visit(p.value);
      else if (node.kind === 'array') for (const item of node.items) visit(item);
      else if (typeof node.value === 'string' && node.value.startsWith('${workflow.input')) {
        const m = /^\$\{workflow\.input(?:\.([^{}]*))?\}$/.exec(node.value);
        if (!m) return;
        const key = m[1] ?? '';
        out.push({
          severity: 'info',
          message: key ? `Task "${taskId}" reads "${key}" from the workflow input: every run and trigger must pass it.` : `Task "${taskId}" reads the whole workflow input.`,
          start: node.start,
          end: Math.max(node.end, node.start + 1),
          code: 'workflow-input',
          taskExternalId: taskId,
        });
      }
    };
    visit(child(task, 'parameters'));
  }
  return out;
}

/** Subworkflow tasks that run another version: it must exist somewhere it can be found. */
function subworkflowReferences(doc: DefinitionDocument, definitionNode: SourceNode, versions: VersionLookup | undefined): DefinitionFinding[] {
  const out: DefinitionFinding[] = [];
  const tasks = child(definitionNode, 'tasks');
  if (tasks?.kind !== 'array') return out;
  for (const task of tasks.items) {
    if (child(task, 'type')?.kind !== 'scalar' || (child(task, 'type') as { value: unknown }).value !== 'subworkflow') continue;
    const sub = child(child(task, 'parameters'), 'subworkflow');
    const wf = child(sub, 'workflowExternalId');
    const version = child(sub, 'version');
    if (wf?.kind !== 'scalar' || version?.kind !== 'scalar' || typeof wf.value !== 'string' || version.value === null || isMasked(doc, wf) || isMasked(doc, version)) continue;
    const v = String(version.value);
    if (wf.value.includes('${') || v.includes('${')) continue;
    const finding = lookupVersion(doc, wf.value, v, versions);
    if (finding) {
      const id = child(task, 'externalId');
      out.push({
        severity: 'warning',
        message: `Subworkflow version ${wf.value}@${v} was not found ${finding}. Deploy it first, or check the workflow external id and version.`,
        start: wf.start,
        end: wf.end,
        code: 'subworkflow-not-found',
        ...(id?.kind === 'scalar' && typeof id.value === 'string' ? { taskExternalId: id.value } : {}),
      });
    }
  }
  return out;
}

/** Undefined when found (or unknown); otherwise where it was looked for. */
function lookupVersion(doc: DefinitionDocument, workflowExternalId: string, version: string, versions: VersionLookup | undefined): string | undefined {
  const here = doc.resources.some((r) => r.kind === 'version' && r.value['workflowExternalId'] === workflowExternalId && String(r.value['version']) === version);
  if (here || !versions) return undefined;
  const result = versions(workflowExternalId, version);
  return result.status === 'missing' ? result.searched : undefined;
}

// ------------------------------------------------------------------------------------------- triggers

function triggerFindings(doc: DefinitionDocument, resource: DefinitionResource, versions: VersionLookup | undefined): (DefinitionFinding & { path?: string })[] {
  const out: (DefinitionFinding & { path?: string })[] = [];
  const node = resource.node;
  const rule = child(node, 'triggerRule');
  const type = child(rule, 'triggerType');
  if (type?.kind === 'scalar' && type.value === 'schedule') {
    const cron = child(rule, 'cronExpression');
    if (cron?.kind === 'scalar' && typeof cron.value === 'string' && !isMasked(doc, cron) && !cron.value.includes('${')) {
      try {
        parseCron(cron.value);
      } catch (e) {
        out.push({ severity: 'error', message: e instanceof Error ? e.message : String(e), start: cron.start, end: cron.end, code: 'cron', path: 'triggerRule/cronExpression' });
      }
    }
    const tz = child(rule, 'timezone');
    if (tz?.kind === 'scalar' && typeof tz.value === 'string' && !isMasked(doc, tz) && !tz.value.includes('${')) {
      try {
        validateTimeZone(tz.value);
      } catch (e) {
        out.push({ severity: 'error', message: e instanceof Error ? e.message : String(e), start: tz.start, end: tz.end, code: 'timezone', path: 'triggerRule/timezone' });
      }
    }
  }
  if (type?.kind === 'scalar' && type.value === 'dataModeling') out.push(...batchLimits(doc, rule));
  const auth = child(node, 'authentication');
  const secret = child(auth, 'clientSecret');
  if (doc.shape === 'toolkit' && secret?.kind === 'scalar' && typeof secret.value === 'string' && secret.value !== '' && !isMasked(doc, secret) && !/^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(secret.value)) {
    out.push({
      severity: 'warning',
      message: 'This looks like a client secret written in the file. Use an environment variable the Toolkit fills at deploy, such as ${TRIGGER_CLIENT_SECRET}, and keep the secret out of git.',
      start: secret.start,
      end: secret.end,
      code: 'secret-in-file',
    });
  }
  const metadata = child(node, 'metadata');
  if (doc.shape === 'toolkit' && metadata?.kind === 'object' && metadata.properties.length === 10 && auth) {
    out.push({ severity: 'warning', message: 'The Toolkit adds "cognite-toolkit-auth-hash" to the metadata of a trigger with authentication, which makes 11 entries; CDF allows 10. Remove one.', ...keyRange(node, 'metadata'), code: 'metadata-full' });
  }
  const wf = child(node, 'workflowExternalId');
  const version = child(node, 'workflowVersion');
  if (wf?.kind === 'scalar' && typeof wf.value === 'string' && version?.kind === 'scalar' && version.value !== null && !isMasked(doc, wf) && !isMasked(doc, version) && !/\$\{/.test(`${wf.value}${String(version.value)}`)) {
    const where = lookupVersion(doc, wf.value, String(version.value), versions);
    if (where) out.push({ severity: 'warning', message: `The trigger starts ${wf.value}@${String(version.value)}, which was not found ${where}. Deploy the version first, or check the ids.`, start: version.start, end: version.end, code: 'trigger-version-not-found' });
  }
  return out;
}

function keyRange(node: SourceNode, key: string): { start: number; end: number } {
  const p = property(node, key);
  return p ? { start: p.keyStart, end: p.keyEnd } : { start: node.start, end: node.start + 1 };
}

/** Each `with` expression the select reads must have `limit` equal to `batchSize` (REFERENCE §2.6). */
function batchLimits(doc: DefinitionDocument, rule: SourceNode | undefined): DefinitionFinding[] {
  const out: DefinitionFinding[] = [];
  const batch = child(rule, 'batchSize');
  const query = child(rule, 'dataModelingQuery');
  const withNode = child(query, 'with');
  const select = child(query, 'select');
  if (batch?.kind !== 'scalar' || typeof batch.value !== 'number' || withNode?.kind !== 'object' || isMasked(doc, batch)) return out;
  const selected = new Set(select?.kind === 'object' ? select.properties.map((p) => p.key) : withNode.properties.map((p) => p.key));
  for (const p of withNode.properties) {
    if (!selected.has(p.key) || p.value?.kind !== 'object') continue;
    const expression = p.value.properties.find((q) => q.key === 'nodes' || q.key === 'edges')?.value ?? p.value;
    const limit = child(p.value, 'limit') ?? child(expression, 'limit');
    if (limit === undefined) {
      out.push({ severity: 'error', message: `The data modeling query's "${p.key}" needs "limit: ${batch.value}": each selected expression's limit must equal batchSize.`, start: p.keyStart, end: p.keyEnd, code: 'batch-limit' });
    } else if (limit.kind === 'scalar' && typeof limit.value === 'number' && limit.value !== batch.value && !isMasked(doc, limit)) {
      out.push({ severity: 'error', message: `"${p.key}" has limit ${limit.value} but batchSize is ${batch.value}: they must be equal.`, start: limit.start, end: limit.end, code: 'batch-limit' });
    }
  }
  return out;
}
