// The check-definition tool's engine: the editor's and the CLI's checker (core/definition's
// checkDefinitionText: syntax, the generated schema, the graph and references, Toolkit templates, triggers)
// on a file's or a text's definitions, its findings as bounded text with line and column.
import { checkDefinitionText, type DefinitionProblem, type LocatedFinding, type SchemaSet, type TemplateContext, type ToolkitVariables } from '../definition';
import { InputError } from '../errors';
import { BoundedText, oneLine, plural } from './budget';
import { NOTE_RESERVE } from './executionText';
import { describeProblem } from './workflowText';

export interface DefinitionSource {
  readonly text: string;
  /** How the answer names it: `workflows/daily.WorkflowVersion.yaml`, `the text`. */
  readonly name: string;
  /** The file name the Toolkit kind and the format are read from (`x.WorkflowVersion.yaml`, `x.json`). */
  readonly fileName: string;
  /** The Toolkit environment's variables for `{{ name }}` templates (files in a Toolkit project). */
  readonly variables?: ToolkitVariables;
}

/** A file name for text given inline: JSON when it starts like JSON, else a Toolkit version file. */
export function inlineFileName(text: string): string {
  return /^\s*[[{]/.test(text) ? 'text.json' : 'text.WorkflowVersion.yaml';
}

function templatesOf(v: ToolkitVariables | undefined): TemplateContext | undefined {
  if (!v) return undefined;
  return { environment: v.environment.name, configFile: v.environment.configFile, ...(v.module ? { module: v.module } : {}), ...(v.configError ? { configError: v.configError } : {}) };
}

const RANK = { error: 0, warning: 1, info: 2 } as const;

function findingLine(f: LocatedFinding): string {
  const task = f.taskExternalId ? `, task ${f.taskExternalId}` : '';
  return `- ${f.severity} at line ${f.range.start.line + 1}, column ${f.range.start.character + 1} (${f.code}${task}): ${oneLine(f.message, 600)}`;
}

/**
 * A bare definition (`{"tasks": [...]}`, what a model often has at hand) is checked as a version: wrapped on
 * its first line, so lines stay where they are and only first-line columns move by the prefix.
 */
const BARE_PREFIX = '{"workflowExternalId": "(text)", "version": "(text)", "workflowDefinition": ';

function isBareDefinition(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) && Array.isArray((value as Record<string, unknown>)['tasks']) && !('workflowDefinition' in value);
  } catch {
    return false;
  }
}

/** The text's definitions checked; the findings (errors first) within `maxChars`. */
export function checkDefinitionSource(source: DefinitionSource, schemas: SchemaSet, maxChars: number): string {
  if (source.text.trim() === '') throw new InputError(`${source.name} is empty: pass a workflow definition (Toolkit YAML or API JSON).`);
  const bare = /\.jsonc?$/i.test(source.fileName) && isBareDefinition(source.text);
  const text = bare ? `${BARE_PREFIX}${source.text}}` : source.text;
  const result = checkDefinitionText(text, {
    schemas,
    fileName: source.fileName,
    allowComments: /\.jsonc$/i.test(source.fileName),
    ...(source.variables ? { variables: source.variables.values } : {}),
    ...(source.variables ? { templates: templatesOf(source.variables) } : {}),
  });
  if (!result.definition) {
    throw new InputError(
      `${source.name} holds no workflow definition: expected a Cognite Toolkit file (*.Workflow.yaml, *.WorkflowVersion.yaml, *.WorkflowTrigger.yaml) ` +
        'or API JSON (a definition {"tasks": [...]}, a version {"workflowExternalId", "version", "workflowDefinition": {"tasks": [...]}}, a workflow or trigger, or {"items": [...]}).',
    );
  }
  const findings = [...result.findings]
    .map((f) => (bare && f.range.start.line === 0 ? { ...f, range: { ...f.range, start: { line: 0, character: Math.max(0, f.range.start.character - BARE_PREFIX.length) } } } : f))
    .sort((a, b) => RANK[a.severity] - RANK[b.severity] || a.start - b.start);
  const count = (s: LocatedFinding['severity']) => findings.filter((f) => f.severity === s).length;
  const out = new BoundedText(maxChars);
  const env = source.variables ? `; templates filled from config.${source.variables.environment.name}.yaml` : '';
  out.addClipped(
    `${source.name}: ${findings.length === 0 ? 'no problems found' : `${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${count('info')} info`}${env}.`,
    NOTE_RESERVE,
  );
  let shown = 0;
  for (const f of findings) {
    if (!out.addClipped(findingLine(f), NOTE_RESERVE)) break;
    shown++;
  }
  if (shown < findings.length) out.note(`[truncated: ${findings.length - shown} more findings (${findings.slice(shown).map((f) => f.severity).filter((s, i, a) => a.indexOf(s) === i).join(', ')}); fix these and check again.]`);
  out.note('The same checks as the editor and npm run check:definitions; CDF may still refuse what only it knows (function and transformation ids, access).');
  return out.toString();
}

/** A deployed definition's structural findings (task ids, types, dependsOn, cycles, references, limits), errors first. */
export function formatFindings(subject: string, tasks: number, problems: readonly DefinitionProblem[], maxChars: number): string {
  const out = new BoundedText(maxChars);
  const errors = problems.filter((p) => p.severity === 'error');
  const warnings = problems.filter((p) => p.severity !== 'error');
  out.addClipped(`${subject}: ${plural(tasks, 'task')}; ${problems.length === 0 ? 'no problems found' : `${plural(errors.length, 'error')}, ${plural(warnings.length, 'warning')}`}.`, 120);
  let shown = 0;
  for (const p of [...errors, ...warnings]) {
    if (!out.addClipped(`- ${describeProblem(p)}`, 120)) break;
    shown++;
  }
  if (shown < problems.length) out.note(`[truncated: ${problems.length - shown} more findings; fix these and check again.]`);
  return out.toString();
}
