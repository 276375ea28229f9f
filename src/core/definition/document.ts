// The document model: a definition file (Toolkit YAML or API-shaped JSON) parsed once into resources
// (workflows, versions, triggers) with source ranges. Diagnostics, completion, hover, symbols, navigation,
// deploy and diff all start from a DefinitionDocument.
//
// Stable API (other features import these):
//   parseDefinitionDocument(text, { fileName?, format?, variables?, cache? }) -> DefinitionDocument | undefined
//     undefined when the text is not a definition: a YAML file without a Toolkit workflow suffix whose content
//     is not a definition either, or JSON whose content is not one.
//   document.resources[i]: { kind: 'workflow' | 'version' | 'trigger', node (SourceObject with ranges),
//     path (segments from the root), value (plain object, templates substituted) }.
//     A version's value is the body of POST /workflows/versions as written; Toolkit-only keys stay as
//     written (a workflow's `dataSetExternalId`, a trigger's `authentication: {clientId, clientSecret}`).
//   document.templates: every `{{ variable }}` with its range and whether it was resolved.
//   document.syntaxProblems: YAML/JSON syntax errors at their ranges; offsets are in `document.text`.
//   resourceIdentity(resource): the identifier CDF knows the resource by.
//   toolkitKindOf(fileName), definitionFormatOf(fileName): what a file name says.
import * as path from 'node:path';
import { LineIndex } from './lines';
import { type ParsedSource, type SyntaxProblem, type YamlChunkCache, parseJsonSource, parseYamlSource } from './parseSource';
import { type PathSegment, type SourceNode, type SourceObject, toValue } from './source';
import { type TemplatePlaceholder, type ToolkitVariableValue, substituteTemplates } from './templates';
import { isPlainObject } from './types';

export type DefinitionFormat = 'yaml' | 'json';
export type DefinitionKind = 'workflow' | 'version' | 'trigger';
/** Toolkit YAML (templates, Toolkit-only keys) or the API's JSON bodies. */
export type DefinitionShape = 'toolkit' | 'api';

export interface DefinitionResource {
  readonly kind: DefinitionKind;
  readonly node: SourceObject;
  /** Where the resource sits: [] for a file of one resource, [2] in a list, ['items', 0] in an API body. */
  readonly path: readonly PathSegment[];
  readonly value: Readonly<Record<string, unknown>>;
}

export interface DefinitionDocument {
  /** The text as written (all offsets refer to it). */
  readonly text: string;
  readonly format: DefinitionFormat;
  readonly shape: DefinitionShape;
  readonly fileName?: string;
  /** The kind the file name gives (Toolkit files); API JSON has one kind per resource. */
  readonly fileKind?: DefinitionKind;
  readonly root: SourceNode | undefined;
  readonly resources: readonly DefinitionResource[];
  /** Entries of a Toolkit list that are not mappings, and other shapes that are not resources. */
  readonly strayEntries: readonly SourceNode[];
  readonly syntaxProblems: readonly SyntaxProblem[];
  readonly templates: readonly TemplatePlaceholder[];
  readonly lines: LineIndex;
}

export interface ParseDefinitionOptions {
  /** Used for the Toolkit kind (`*.WorkflowVersion.yaml`) and the format when `format` is not given. */
  readonly fileName?: string;
  readonly format?: DefinitionFormat;
  /** Toolkit variables for `{{ name }}` (undefined: every placeholder is masked and reported). */
  readonly variables?: ReadonlyMap<string, ToolkitVariableValue>;
  /** Reuse between parses of the same document: long task lists are then parsed item by item. */
  readonly cache?: YamlChunkCache;
  /** Comments in JSON (a `.jsonc` file). */
  readonly allowComments?: boolean;
}

const TOOLKIT_KINDS: Readonly<Record<string, DefinitionKind>> = {
  workflow: 'workflow',
  workflowversion: 'version',
  workflowtrigger: 'trigger',
};

/** The Toolkit kind of a file name: the last dot-segment of the stem, any case (`v1.WorkflowVersion.yaml`). */
export function toolkitKindOf(fileName: string): DefinitionKind | undefined {
  const base = path.basename(fileName);
  const m = /^(.+)\.(ya?ml)$/i.exec(base);
  if (!m) return undefined;
  const stem = m[1] ?? '';
  const dot = stem.lastIndexOf('.');
  if (dot < 0) return undefined;
  return TOOLKIT_KINDS[stem.slice(dot + 1).toLowerCase()];
}

export function definitionFormatOf(fileName: string): DefinitionFormat | undefined {
  if (/\.ya?ml$/i.test(fileName)) return 'yaml';
  if (/\.jsonc?$/i.test(fileName)) return 'json';
  return undefined;
}

/** Cheap test on raw JSON text before parsing it: only texts naming a definition key are parsed. */
export function mayBeDefinitionJson(text: string): boolean {
  return /"(?:workflowDefinition|workflowExternalId|triggerRule|maxConcurrentExecutions)"\s*:/.test(text);
}

const WORKFLOW_KEYS = new Set(['externalId', 'description', 'dataSetId', 'dataSetExternalId', 'maxConcurrentExecutions', 'createdTime', 'lastUpdatedTime']);

/** The kind of a resource recognised by its keys, for API JSON and YAML without a Toolkit suffix. */
export function kindOfContent(value: unknown): DefinitionKind | undefined {
  if (!isPlainObject(value)) return undefined;
  // An execution (its details embed the definition it ran) is not a definition to edit.
  if ('executedTasks' in value || 'engineExecutionId' in value) return undefined;
  if ('triggerRule' in value) return 'trigger';
  if ('workflowDefinition' in value || ('workflowExternalId' in value && 'version' in value)) return 'version';
  if ('workflowExternalId' in value && 'workflowVersion' in value) return 'trigger';
  const keys = Object.keys(value);
  if (
    typeof value['externalId'] === 'string' &&
    keys.every((k) => WORKFLOW_KEYS.has(k)) &&
    keys.some((k) => k === 'maxConcurrentExecutions' || k === 'dataSetId' || k === 'dataSetExternalId')
  ) {
    return 'workflow';
  }
  return undefined;
}

export function parseDefinitionDocument(text: string, options: ParseDefinitionOptions = {}): DefinitionDocument | undefined {
  const format = options.format ?? (options.fileName ? definitionFormatOf(options.fileName) : undefined) ?? 'yaml';
  const fileKind = options.fileName && format === 'yaml' ? toolkitKindOf(options.fileName) : undefined;
  if (format === 'json' && !mayBeDefinitionJson(text)) return undefined;

  let parsed: ParsedSource;
  let templates: readonly TemplatePlaceholder[] = [];
  if (format === 'yaml') {
    const substitution = substituteTemplates(text, options.variables);
    templates = substitution.placeholders;
    parsed = parseYamlSource(substitution.text, substitution, options.cache);
    if (substitution.placeholders.length > 0) {
      parsed = {
        root: parsed.root,
        problems: parsed.problems.map((p) => ({ ...p, start: substitution.toOriginal(p.start), end: Math.max(substitution.toOriginal(p.end, 'end'), substitution.toOriginal(p.start) + 1) })),
      };
    }
  } else {
    parsed = parseJsonSource(text, { allowComments: options.allowComments });
  }

  const { resources, strayEntries } = collectResources(parsed.root, fileKind, format);
  if (!fileKind && resources.length === 0) return undefined;
  return {
    text,
    format,
    shape: format === 'yaml' ? 'toolkit' : 'api',
    ...(options.fileName ? { fileName: options.fileName } : {}),
    ...(fileKind ? { fileKind } : {}),
    root: parsed.root,
    resources,
    strayEntries,
    syntaxProblems: parsed.problems,
    templates,
    lines: new LineIndex(text),
  };
}

function collectResources(
  root: SourceNode | undefined,
  fileKind: DefinitionKind | undefined,
  format: DefinitionFormat,
): { resources: DefinitionResource[]; strayEntries: SourceNode[] } {
  const resources: DefinitionResource[] = [];
  const strayEntries: SourceNode[] = [];
  const add = (node: SourceNode, at: PathSegment[]): void => {
    if (node.kind !== 'object') {
      if (fileKind) strayEntries.push(node);
      return;
    }
    const value = toValue(node) as Record<string, unknown>;
    const kind = fileKind ?? kindOfContent(value);
    if (kind) resources.push({ kind, node, path: at, value });
    else if (fileKind) strayEntries.push(node);
  };
  if (!root) return { resources, strayEntries };
  if (root.kind === 'array') {
    root.items.forEach((item, i) => add(item, [i]));
  } else if (root.kind === 'object') {
    const items = root.properties.find((p) => p.key === 'items');
    // An API body or list response: {"items": [...]} (with a nextCursor at most).
    if (!fileKind && format === 'json' && items?.value?.kind === 'array' && root.properties.every((p) => p.key === 'items' || p.key === 'nextCursor')) {
      items.value.items.forEach((item, i) => add(item, ['items', i]));
    } else {
      add(root, []);
    }
  } else if (fileKind) {
    strayEntries.push(root);
  }
  return { resources, strayEntries };
}

/** How CDF identifies a resource; undefined while its identifying keys are missing. */
export type ResourceIdentity =
  | { readonly kind: 'workflow'; readonly externalId: string }
  | { readonly kind: 'version'; readonly workflowExternalId: string; readonly version: string }
  | { readonly kind: 'trigger'; readonly externalId: string };

export function resourceIdentity(resource: DefinitionResource): ResourceIdentity | undefined {
  const v = resource.value;
  const str = (key: string): string | undefined => (typeof v[key] === 'string' ? (v[key]) : typeof v[key] === 'number' ? String(v[key]) : undefined);
  switch (resource.kind) {
    case 'workflow': {
      const externalId = str('externalId');
      return externalId === undefined ? undefined : { kind: 'workflow', externalId };
    }
    case 'version': {
      const workflowExternalId = str('workflowExternalId');
      const version = str('version');
      return workflowExternalId === undefined || version === undefined ? undefined : { kind: 'version', workflowExternalId, version };
    }
    case 'trigger': {
      const externalId = str('externalId');
      return externalId === undefined ? undefined : { kind: 'trigger', externalId };
    }
  }
}
