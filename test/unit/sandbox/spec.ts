// Validates sandbox response bodies against the official OpenAPI subset (a copy in spec/), with the
// spec quirks REFERENCE §1.10 describes taken out: task parameters, task inputs/outputs and trigger rules
// are chosen by their discriminator instead of a non-exclusive oneOf (and the remaining oneOfs, such as
// [CogniteExternalId, Reference] which are both plain strings, are read as anyOf), and write-only fields are dropped
// from `required` in responses. One more quirk found while testing: FunctionCallError lists `code` as
// required without defining it; REFERENCE §4.3 gives the error as {message, trace}, so it is dropped too.
// And a dynamic task's execution input holds the resolved task list where the spec only allows a string,
// and a function task's output.response is null when the handler returns None (the spec says object; the
// Python SDK reads any JSON there).
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { KNOWN_TASK_TYPES, type KnownTaskType, PARAMETERS_KEY } from '../../../src/core/definition/types';

type Json = Record<string, unknown>;

export const SPEC_PATH =
  process.env['CDF_API_SPEC'] ?? path.resolve(__dirname, '../../../../spec/cognite-api-v1-workflows-sessions-functions-files.subset.json');

const TASK_PARAMETERS: Readonly<Record<KnownTaskType, string>> = {
  function: 'FunctionTaskParameters',
  transformation: 'TransformationTaskParameters',
  cdf: 'CdfTaskParameters',
  dynamic: 'DynamicTaskParameters',
  subworkflow: 'SubworkflowTaskParameters',
  simulation: 'SimulatorTaskParameters',
};
const TASK_OUTPUTS: Record<string, string | null> = {
  function: 'FunctionTaskOutput',
  transformation: 'TransformationTaskOutput',
  cdf: 'CdfTaskOutput',
  dynamic: 'DynamicTaskOutput',
  simulation: 'SimulatorTaskOutput',
  subworkflow: null,
};

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });

/** if/then chain: when `discriminator` equals a key, `field` must match that key's schema. */
function discriminate(discriminator: string, field: string, map: Record<string, Json>): Json[] {
  return Object.entries(map).map(([value, schema]) => ({
    if: { properties: { [discriminator]: { const: value } }, required: [discriminator] },
    then: { properties: { [field]: schema } },
  }));
}

/** oneOf -> anyOf everywhere: branches like [CogniteExternalId, Reference] are both plain strings. */
function relaxOneOf(node: unknown): void {
  if (Array.isArray(node)) {
    for (const n of node) relaxOneOf(n);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const o = node as Json;
  if (Array.isArray(o['oneOf'])) {
    o['anyOf'] = o['oneOf'];
    delete o['oneOf'];
  }
  for (const v of Object.values(o)) relaxOneOf(v);
}

function patchSpec(spec: Json): Json {
  relaxOneOf(spec['components']);
  relaxOneOf(spec['paths']);
  const schemas = (spec['components'] as Json)['schemas'] as Record<string, Json>;
  const params = Object.fromEntries(
    KNOWN_TASK_TYPES.map((type) => [type, { allOf: [ref(TASK_PARAMETERS[type])], required: [PARAMETERS_KEY[type]] }]),
  );
  // TaskDefinition.parameters: choose by `type`.
  const taskDef = schemas['TaskDefinition'];
  const taskDefProps = taskDef['properties'] as Json;
  taskDefProps['parameters'] = { type: 'object' };
  taskDef['allOf'] = discriminate('type', 'parameters', params);
  // TaskExecution.input/output: choose by `taskType`.
  const taskExec = schemas['TaskExecution'];
  const execProps = taskExec['properties'] as Json;
  execProps['input'] = { type: 'object' };
  execProps['output'] = { type: 'object' };
  // A dynamic task's recorded input holds the resolved list of task definitions, not the reference string
  // the spec allows (REFERENCE §2.4); accept both.
  const executionInputs: Record<string, Json> = {
    ...params,
    dynamic: { type: 'object', required: ['dynamic'], properties: { dynamic: { type: 'object', properties: { tasks: { anyOf: [{ type: 'string' }, { type: 'array', items: ref('TaskDefinition') }] } } } } },
  };
  const outputs = Object.fromEntries(Object.entries(TASK_OUTPUTS).map(([type, name]) => [type, name ? ref(name) : { type: 'object' }]));
  taskExec['allOf'] = [...discriminate('taskType', 'input', executionInputs), ...discriminate('taskType', 'output', outputs)];
  const functionOutput = schemas['FunctionTaskOutput']['properties'] as Json;
  functionOutput['response'] = { anyOf: [functionOutput['response'] as Json, { type: 'null' }] };
  // Trigger rules: choose by triggerType.
  schemas['TriggerRule'] = {
    type: 'object',
    required: ['triggerType'],
    allOf: [
      { if: { properties: { triggerType: { const: 'schedule' } } }, then: ref('CronTrigger') },
      { if: { properties: { triggerType: { const: 'dataModeling' } } }, then: ref('DataModelingTrigger') },
    ],
  };
  // Write-only fields are not in responses.
  const schedule = schemas['FunctionSchedule'];
  schedule['required'] = (schedule['required'] as string[]).filter((r) => r !== 'nonce');
  const callError = schemas['FunctionCallError'];
  callError['required'] = (callError['required'] as string[]).filter((r) => r !== 'code');
  return spec;
}

let cached: { ajv: Ajv2020; spec: Json } | undefined;

function load(): { ajv: Ajv2020; spec: Json } {
  if (cached) return cached;
  if (!fs.existsSync(SPEC_PATH)) throw new Error(`The OpenAPI subset was not found at ${SPEC_PATH}; set CDF_API_SPEC to its path.`);
  const spec = patchSpec(JSON.parse(fs.readFileSync(SPEC_PATH, 'utf8')) as Json);
  spec['$id'] = 'https://cdf.spec/openapi.json';
  const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });
  addFormats(ajv);
  for (const f of ['int64', 'int32', 'uint64', 'float', 'double', 'jsonpointer']) ajv.addFormat(f, true);
  ajv.addSchema(spec);
  cached = { ajv, spec };
  return cached;
}

const pointerEscape = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** The spec path template that matches a concrete pathname, e.g. /workflows/x/versions/1 -> /workflows/{workflowExternalId}/versions/{version}. */
export function specPathFor(pathname: string): string | undefined {
  const { spec } = load();
  const rel = pathname.replace(/^\/api\/v1\/projects\/[^/]+/, '').replace(/^\/api\/v1/, '');
  const parts = rel.split('/').filter(Boolean);
  let best: { template: string; statics: number } | undefined;
  for (const template of Object.keys(spec['paths'] as Json)) {
    const tparts = template.split('/').filter(Boolean);
    if (tparts.length !== parts.length) continue;
    let statics = 0;
    let ok = true;
    for (let i = 0; i < parts.length; i++) {
      if (tparts[i].startsWith('{')) continue;
      if (tparts[i] !== parts[i]) {
        ok = false;
        break;
      }
      statics++;
    }
    if (ok && (!best || statics > best.statics)) best = { template, statics };
  }
  return best?.template;
}

/**
 * Validates a response body for `method pathname` with `status` against the spec. Returns a list of
 * problems (empty when valid). Error statuses are checked against the common error body.
 */
export function validateResponse(method: string, pathname: string, status: number, body: unknown): string[] {
  const { ajv, spec } = load();
  if (status >= 400) {
    const v = ajv.getSchema('https://cdf.spec/openapi.json#/components/responses/ErrorResponse/content/application~1json/schema')!;
    return v(body) ? [] : (v.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  }
  const template = specPathFor(pathname);
  if (!template) return [`no spec path matches ${pathname}`];
  const op = ((spec['paths'] as Json)[template] as Json)[method.toLowerCase()] as Json | undefined;
  if (!op) return [`the spec has no ${method} ${template}`];
  const responses = op['responses'] as Json;
  let response = responses[String(status)] as Json | undefined;
  if (!response) return [`the spec does not list status ${status} for ${method} ${template} (it lists ${Object.keys(responses).join(', ')})`];
  let pointer = `#/paths/${pointerEscape(template)}/${method.toLowerCase()}/responses/${status}`;
  if (typeof response['$ref'] === 'string') {
    const target = response['$ref'];
    pointer = target;
    const parts = target.replace(/^#\//, '').split('/');
    let cur: unknown = spec;
    for (const p of parts) cur = (cur as Json)[p.replace(/~1/g, '/').replace(/~0/g, '~')];
    response = cur as Json;
  }
  if (typeof response['$ref'] !== 'string' && !response['content']) {
    return []; // no body described
  }
  const schemaPointer = `${pointer}/content/application~1json/schema`;
  const id = `https://cdf.spec/openapi.json${schemaPointer}`;
  let v = ajv.getSchema(id);
  if (!v) {
    ajv.addSchema({ $ref: id }, `check:${id}`);
    v = ajv.getSchema(`check:${id}`)!;
  }
  return v(body) ? [] : (v.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
