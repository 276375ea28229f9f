// The check-definition tool's engine: a definition given as text (API-shaped JSON) is parsed with positions
// and every workflow definition in it is checked with the structural checks of core/definition.
import { type ParseError, parse as parseJsonc, printParseErrorCode } from 'jsonc-parser';
import { checkDefinition, type DefinitionProblem, isPlainObject, type WorkflowDefinitionLike } from '../definition';
import { InputError } from '../errors';
import { locate } from '../run';
import { BoundedText, plural } from './budget';
import { NOTE_RESERVE } from './executionText';
import { describeProblem } from './workflowText';

interface FoundDefinition {
  readonly subject: string;
  readonly definition: WorkflowDefinitionLike;
  /** JSON path of the definition in the text, prefixed to each finding's path. */
  readonly at: string;
}

/** Where definitions sit in API-shaped JSON: a definition, a version, `{items: [versions]}` or a list of versions. */
function definitionsIn(value: unknown, name: string): FoundDefinition[] {
  const versionOf = (item: unknown, at: string): FoundDefinition | undefined => {
    if (!isPlainObject(item)) return undefined;
    if (isPlainObject(item['workflowDefinition'])) {
      const wf = typeof item['workflowExternalId'] === 'string' ? item['workflowExternalId'] : undefined;
      const v = typeof item['version'] === 'string' ? item['version'] : undefined;
      return {
        subject: wf ? `${wf} version ${v ?? '?'} in ${name}` : `the definition in ${name}${at ? ` at ${at}` : ''}`,
        definition: item['workflowDefinition'] as unknown as WorkflowDefinitionLike,
        at: `${at ? `${at}.` : ''}workflowDefinition.`,
      };
    }
    if (Array.isArray(item['tasks'])) return { subject: `the definition in ${name}${at ? ` at ${at}` : ''}`, definition: item as unknown as WorkflowDefinitionLike, at: at ? `${at}.` : '' };
    return undefined;
  };
  const list = Array.isArray(value) ? value : isPlainObject(value) && Array.isArray(value['items']) ? value['items'] : undefined;
  if (list) {
    const prefix = Array.isArray(value) ? '' : 'items';
    return list.map((item, i) => versionOf(item, `${prefix}[${i}]`)).filter((d): d is FoundDefinition => d !== undefined);
  }
  const one = versionOf(value, '');
  return one ? [one] : [];
}

/** Text that is not JSON but looks like the Toolkit's YAML. */
function looksLikeYaml(text: string, name: string): boolean {
  return /\.ya?ml$/i.test(name) || /^\s*(#|[A-Za-z_][\w-]*\s*:|-\s)/.test(text);
}

/** Parses definition text and checks every definition in it; the findings as bounded text. */
export function checkDefinitionText(text: string, name: string, maxChars: number): string {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (source.trim() === '') throw new InputError(`${name} is empty: pass a workflow definition as JSON, e.g. {"tasks": [...]}.`);
  const errors: ParseError[] = [];
  const value: unknown = parseJsonc(source, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (first) {
    if (looksLikeYaml(source, name)) {
      throw new InputError(
        `${name} is YAML (a Cognite Toolkit file?). This check reads API-shaped JSON definitions only, for now: ` +
          'pass the workflowDefinition as JSON text ({"tasks": [...]}), or check a deployed version with workflowExternalId and version.',
      );
    }
    const at = locate(source, first.offset);
    throw new InputError(`${name} is not valid JSON: ${printParseErrorCode(first.error)} at line ${at.line}, column ${at.column}. Fix it and check again.`);
  }
  const found = definitionsIn(value, name);
  if (found.length === 0) {
    throw new InputError(
      `${name} holds no workflow definition: expected {"tasks": [...]}, a version {"workflowExternalId", "version", "workflowDefinition": {"tasks": [...]}}, ` +
        'or {"items": [versions]}.',
    );
  }
  const out = new BoundedText(maxChars);
  const share = Math.floor((maxChars - NOTE_RESERVE) / found.length);
  for (const f of found) {
    const problems: DefinitionProblem[] = checkDefinition(f.definition).map((p) => ({ ...p, path: p.path === undefined ? undefined : `${f.at}${p.path}` }));
    out.addClipped(formatFindings(f.subject, Array.isArray(f.definition.tasks) ? f.definition.tasks.length : 0, problems, share), NOTE_RESERVE);
  }
  out.note(
    'These are structural checks (task ids, types and parameters, dependsOn, cycles, ${...} references, limits); ' +
      'CDF may still refuse what only it knows (function and transformation ids, access).',
  );
  return out.toString();
}

/** One definition's findings, errors first. */
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
