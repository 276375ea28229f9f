// Writes workflows, versions and triggers as files: Toolkit YAML with the Toolkit's key order and file names
// (what `cdf dump workflow` writes), or the API's JSON bodies. Used by Pull to File, and by Compare with
// Deployed when a file cannot be patched in place.
import type * as Yaml from 'yaml';
import { type DefinitionResourceKind } from './normalize';
import { isPlainObject } from './types';

let yamlLoaded: typeof Yaml | undefined;
/* eslint-disable @typescript-eslint/no-require-imports -- bundled by esbuild; loaded on first use, not at activation */
const yamlLib = (): typeof Yaml => (yamlLoaded ??= require('yaml') as typeof Yaml);
/* eslint-enable @typescript-eslint/no-require-imports */

export type DefinitionFileFormat = 'toolkit' | 'api';

// Key orders of the Toolkit's resource classes (its dump follows their field order; unknown keys follow).
const ORDER: Readonly<Record<string, readonly string[]>> = {
  workflow: ['externalId', 'description', 'dataSetExternalId', 'dataSetId', 'maxConcurrentExecutions'],
  version: ['workflowExternalId', 'version', 'workflowDefinition'],
  definition: ['description', 'tasks'],
  task: ['externalId', 'type', 'name', 'description', 'retries', 'timeout', 'onFailure', 'dependsOn', 'parameters'],
  trigger: ['externalId', 'triggerRule', 'workflowExternalId', 'workflowVersion', 'input', 'metadata', 'authentication'],
  triggerRule: ['triggerType', 'cronExpression', 'timezone', 'dataModelingQuery', 'streamExternalId', 'filter', 'sources', 'batchSize', 'batchTimeout', 'initializeCursor'],
  function: ['function', 'isAsyncComplete'],
  functionRef: ['externalId', 'data'],
  transformationRef: ['externalId', 'concurrencyPolicy', 'useTransformationCredentials'],
  cdfRequest: ['resourcePath', 'method', 'queryParameters', 'body', 'requestTimeoutInMillis', 'cdfVersionHeader'],
  subworkflowRef: ['workflowExternalId', 'version', 'tasks'],
  simulationRef: ['routineExternalId', 'runTime', 'inputs'],
  simulationInput: ['referenceId', 'value', 'unit'],
  functionAppRef: ['externalId', 'path', 'method', 'parameters', 'body'],
};

function ordered(value: unknown, order: readonly string[], child: (key: string, v: unknown) => unknown = (_k, v) => v): unknown {
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of order) if (key in value) out[key] = child(key, value[key]);
  for (const [key, v] of Object.entries(value)) if (!(key in out)) out[key] = child(key, v);
  return out;
}

function orderParameters(type: unknown, parameters: unknown): unknown {
  switch (type) {
    case 'function':
      return ordered(parameters, ORDER['function'], (k, v) => (k === 'function' ? ordered(v, ORDER['functionRef']) : v));
    case 'transformation':
      return ordered(parameters, ['transformation'], (_k, v) => ordered(v, ORDER['transformationRef']));
    case 'cdf':
      return ordered(parameters, ['cdfRequest'], (k, v) => (k === 'cdfRequest' ? ordered(v, ORDER['cdfRequest']) : v));
    case 'subworkflow':
      return ordered(parameters, ['subworkflow'], (k, v) =>
        k === 'subworkflow' ? ordered(v, ORDER['subworkflowRef'], (kk, vv) => (kk === 'tasks' && Array.isArray(vv) ? vv.map(orderTask) : vv)) : v,
      );
    case 'simulation':
      return ordered(parameters, ['simulation'], (k, v) =>
        k === 'simulation' ? ordered(v, ORDER['simulationRef'], (kk, vv) => (kk === 'inputs' && Array.isArray(vv) ? vv.map((i) => ordered(i, ORDER['simulationInput'])) : vv)) : v,
      );
    case 'functionApp':
      return ordered(parameters, ['functionApp'], (k, v) => (k === 'functionApp' ? ordered(v, ORDER['functionAppRef']) : v));
    default:
      return parameters;
  }
}

function orderTask(task: unknown): unknown {
  if (!isPlainObject(task)) return task;
  return ordered(task, ORDER['task'], (k, v) => (k === 'parameters' ? orderParameters(task['type'], v) : v));
}

/** A resource with its keys in the Toolkit's order (the API's JSON uses the same order). */
export function orderResource(kind: DefinitionResourceKind, value: unknown): unknown {
  switch (kind) {
    case 'workflow':
      return ordered(value, ORDER['workflow']);
    case 'version':
      return ordered(value, ORDER['version'], (k, v) =>
        k === 'workflowDefinition' ? ordered(v, ORDER['definition'], (kk, vv) => (kk === 'tasks' && Array.isArray(vv) ? vv.map(orderTask) : vv)) : v,
      );
    case 'trigger':
      return ordered(value, ORDER['trigger'], (k, v) => (k === 'triggerRule' ? ordered(v, ORDER['triggerRule']) : v));
  }
}

const RESPONSE_ONLY: Readonly<Record<DefinitionResourceKind, readonly string[]>> = {
  workflow: ['createdTime', 'lastUpdatedTime'],
  version: ['createdTime', 'lastUpdatedTime'],
  trigger: ['createdTime', 'lastUpdatedTime', 'isPaused'],
};

/**
 * What CDF answered, as the body that would create it again: answer-only keys (times, the definition hash,
 * isPaused) dropped, everything CDF holds kept, keys in the Toolkit's order.
 */
export function asUpsertBody(kind: DefinitionResourceKind, answer: unknown): Record<string, unknown> {
  if (!isPlainObject(answer)) throw new TypeError(`A ${kind} must be an object.`);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(answer)) if (!RESPONSE_ONLY[kind].includes(key) && value !== undefined && value !== null) out[key] = value;
  if (kind === 'version' && isPlainObject(out['workflowDefinition'])) {
    const { hash: _hash, ...definition } = out['workflowDefinition'];
    out['workflowDefinition'] = Object.fromEntries(Object.entries(definition).filter(([, v]) => v !== null && v !== undefined));
  }
  return orderResource(kind, out) as Record<string, unknown>;
}

/** Toolkit YAML as `cdf dump` writes it: block style, sequences at their key's indentation, quotes only where needed. */
export function renderToolkitYaml(value: unknown): string {
  return yamlLib().stringify(value, { indent: 2, indentSeq: false, lineWidth: 0, singleQuote: true, aliasDuplicateObjects: false });
}

/** The API's JSON, two-space indented, with a final newline. */
export function renderApiJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function renderResource(kind: DefinitionResourceKind, value: unknown, format: DefinitionFileFormat): string {
  const body = orderResource(kind, value);
  return format === 'toolkit' ? renderToolkitYaml(body) : renderApiJson(body);
}

/** The Toolkit's file names (its sanitize_filename: characters illegal in file names and blanks become "_"). */
export function sanitizeFileName(text: string): string {
  return text.replace(/[<>:"/\\|?*\s]/g, '_').replace(/_+/g, '_');
}

/**
 * The file name `cdf dump` gives a resource: `<externalId>.Workflow.yaml`, `<workflow>_v<version>.WorkflowVersion.yaml`
 * (a version starting with "v" keeps it: `<workflow>_v2`), `<externalId>.WorkflowTrigger.yaml`. API JSON files
 * take the same stem with `.json`.
 */
export function definitionFileName(kind: DefinitionResourceKind, id: { externalId?: string; workflowExternalId?: string; version?: string }, format: DefinitionFileFormat): string {
  let stem: string;
  if (kind === 'version') {
    const version = id.version ?? '';
    stem = sanitizeFileName(`${id.workflowExternalId ?? ''}${version === '' ? '' : version.startsWith('v') ? `_${version}` : `_v${version}`}`);
  } else {
    stem = sanitizeFileName(id.externalId ?? '');
  }
  const kindName = kind === 'workflow' ? 'Workflow' : kind === 'version' ? 'WorkflowVersion' : 'WorkflowTrigger';
  return format === 'toolkit' ? `${stem}.${kindName}.yaml` : `${stem}.${kindName}.json`;
}
