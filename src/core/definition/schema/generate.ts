// Generates the JSON Schemas of definition files from the vendored OpenAPI document (spec/): run at build
// time (`npm run build:schemas`), never written by hand. The request bodies of POST /workflows,
// /workflows/versions and /workflows/triggers become one schema per kind, in two flavours: the API's JSON
// and the Toolkit's YAML (TOOLKIT.md §2, §3, §6: dataSetExternalId, functionApp tasks, recordStream
// triggers, client credentials in place of a nonce). The same schemas feed VS Code's JSON service, the
// Red Hat YAML extension (jsonValidation/yamlValidation), our own diagnostics and hovers.
//
// Deliberate changes to the spec's text, each because the spec's form would give wrong results:
//  - `oneOf` becomes `anyOf`: the spec's branches overlap (an external id is also a Reference string),
//    so an exclusive match fails on valid input (REFERENCE §1.10);
//  - task `parameters` are chosen by the task's `type` (if/then) instead of a `oneOf` no object satisfies
//    exactly once;
//  - `maxLength` on an object is a serialized-size limit: it becomes `x-cdf-maxBytes`;
//  - objects with declared properties get `additionalProperties: false`, so a misspelt key is found;
//  - the data modeling query's table expressions and selects stay open objects (the DMS query language is
//    checked by CDF, not here), which keeps the files small;
//  - `retries`, `timeout` and `onFailure` also accept null, which the SDK and the Toolkit send for "default";
//  - a Reference gets the pattern of a whole-string `${...}`, so a value that is neither an allowed literal
//    nor a reference (a misspelt HTTP method) is found.
import { KNOWN_TASK_TYPES, PARAMETERS_KEY } from '../types';

export type JsonSchema = { [key: string]: unknown };

export type SchemaKind = 'workflow' | 'version' | 'trigger';
export type SchemaFlavour = 'api' | 'toolkit';

export interface GeneratedSchemas {
  readonly api: Readonly<Record<SchemaKind, JsonSchema>>;
  readonly toolkit: Readonly<Record<SchemaKind, JsonSchema>>;
}

/** File names under dist/schemas/, as package.json's jsonValidation and yamlValidation name them. */
export const SCHEMA_FILES: Readonly<Record<SchemaFlavour, Readonly<Record<SchemaKind, string>>>> = {
  api: { workflow: 'workflow.schema.json', version: 'workflow-version.schema.json', trigger: 'workflow-trigger.schema.json' },
  toolkit: {
    workflow: 'toolkit-workflow.schema.json',
    version: 'toolkit-workflow-version.schema.json',
    trigger: 'toolkit-workflow-trigger.schema.json',
  },
};

/** Where each kind's upsert item lives in the OpenAPI document. */
const UPSERT_PATHS: Readonly<Record<SchemaKind, string>> = {
  workflow: '/workflows',
  version: '/workflows/versions',
  trigger: '/workflows/triggers',
};

const TITLES: Readonly<Record<SchemaKind, string>> = {
  workflow: 'CDF workflow',
  version: 'CDF workflow version',
  trigger: 'CDF workflow trigger',
};

/** Components replaced by an open object: the data modeling query language is CDF's to check. */
const OPEN_COMPONENTS: Readonly<Record<string, string>> = {
  SyncTableExpressionV3: 'A sync table expression of the data modeling query (nodes or edges); its `limit` must equal the trigger\'s `batchSize`.',
  SyncSelectV3: 'What to return for a table expression of the data modeling query.',
};

/** Descriptions the spec lacks for keys a user edits often (facts from REFERENCE §2, in our words). */
const EXTRA_DESCRIPTIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  WorkflowDefinition: {
    description: 'What this version of the workflow does (at most 500 characters).',
    tasks: 'The tasks of the workflow (at most 100) and the dependencies between them.',
  },
  TaskDepends: { externalId: 'The external id of a task of this definition that must complete first.' },
  version: { workflowExternalId: 'The workflow this version belongs to.', version: 'The version, a string: quote numbers (`\'1\'`).', workflowDefinition: 'The tasks of this version and their dependencies.' },
  trigger: {
    workflowExternalId: 'The workflow the trigger starts.',
    workflowVersion: 'The version of the workflow the trigger starts, a string.',
    triggerRule: 'When the trigger fires: `triggerType` schedule (cron), dataModeling (a data modeling query) or, in the Toolkit, recordStream.',
    input: 'Input passed to every execution the trigger starts (at most 100 KB).',
    authentication: 'The session the executions run with.',
  },
  workflow: { externalId: 'Identifier of the workflow, unique in the project (at most 255 characters).', description: 'What the workflow is for (at most 500 characters).' },
};

export function generateDefinitionSchemas(openApi: unknown): GeneratedSchemas {
  const doc = openApi as { paths?: Record<string, { post?: { requestBody?: unknown } }>; components?: { schemas?: Record<string, JsonSchema> } };
  const components = doc.components?.schemas;
  if (!components) throw new Error('The OpenAPI document has no components.schemas.');
  const build = (flavour: SchemaFlavour): Record<SchemaKind, JsonSchema> => {
    const out = {} as Record<SchemaKind, JsonSchema>;
    for (const kind of ['workflow', 'version', 'trigger'] as const) out[kind] = buildSchema(kind, flavour, doc.paths ?? {}, components);
    return out;
  };
  return { api: build('api'), toolkit: build('toolkit') };
}

function buildSchema(
  kind: SchemaKind,
  flavour: SchemaFlavour,
  paths: Record<string, { post?: { requestBody?: unknown } }>,
  components: Record<string, JsonSchema>,
): JsonSchema {
  const body = paths[UPSERT_PATHS[kind]]?.post?.requestBody as { content?: Record<string, { schema?: JsonSchema }> } | undefined;
  const item = (body?.content?.['application/json']?.schema?.['properties'] as Record<string, JsonSchema> | undefined)?.['items']?.['items'] as JsonSchema | undefined;
  if (!item) throw new Error(`The OpenAPI document has no request body items for POST ${UPSERT_PATHS[kind]}.`);

  const definitions: Record<string, JsonSchema> = {};
  const copy = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(copy);
    if (!isObject(value)) return value;
    const out: JsonSchema = {};
    for (const [key, v] of Object.entries(value)) {
      if (key === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/')) {
        const name = v.slice('#/components/schemas/'.length);
        addDefinition(name);
        out['$ref'] = `#/definitions/${name}`;
      } else if (key === 'example' || key === 'examples' || key === 'title') {
        // Examples and titles are for API docs; descriptions carry what hovers need.
      } else {
        out[key === 'oneOf' ? 'anyOf' : key] = copy(v);
      }
    }
    return out;
  };
  const addDefinition = (name: string): void => {
    if (name in definitions) return;
    const open = OPEN_COMPONENTS[name];
    if (open !== undefined) {
      definitions[name] = { type: 'object', description: open };
      return;
    }
    const source = components[name];
    if (!source) throw new Error(`The OpenAPI document has no components.schemas.${name}.`);
    definitions[name] = {}; // placeholder: recursive references stop here
    definitions[name] = copy(source) as JsonSchema;
  };

  const root = copy(item) as JsonSchema;
  // A Reference is a whole-string `${...}`: without the pattern every string would pass as one.
  if (definitions['Reference']) definitions['Reference']['pattern'] = '^\\$\\{[^{}]*\\}$';
  describe(root, EXTRA_DESCRIPTIONS[kind]);
  if (definitions['WorkflowDefinition']) describe(definitions['WorkflowDefinition'], EXTRA_DESCRIPTIONS['WorkflowDefinition']);
  if (definitions['TaskDepends']) describe(definitions['TaskDepends'], EXTRA_DESCRIPTIONS['TaskDepends']);

  if (definitions['TaskDefinition']) discriminateTaskParameters(definitions, flavour);
  if (flavour === 'toolkit') applyToolkitDifferences(kind, root, definitions);
  for (const schema of [root, ...Object.values(definitions)]) tighten(schema);

  const resource = '#/definitions/' + RESOURCE_DEFINITION[kind];
  definitions[RESOURCE_DEFINITION[kind]] = { ...root, description: root['description'] ?? `A ${TITLES[kind].replace('CDF ', '')}.` };
  const list = { type: 'array', items: { $ref: resource } };
  const shapes: JsonSchema[] =
    flavour === 'toolkit'
      ? [{ $ref: resource }, { ...list, description: 'A list of resources of this kind.' }]
      : [
          { $ref: resource },
          { type: 'object', properties: { items: list }, required: ['items'], additionalProperties: false, description: 'An API request body: {"items": [...]}.' },
          list,
        ];
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: `${TITLES[kind]}${flavour === 'toolkit' ? ' (Cognite Toolkit YAML)' : ' (API JSON)'}`,
    description: `Generated from the Cognite API OpenAPI document${flavour === 'toolkit' ? ' with the Cognite Toolkit\'s differences' : ''}. Do not edit.`,
    'x-cdf-kind': kind,
    'x-cdf-flavour': flavour,
    'x-cdf-resource': resource,
    anyOf: shapes,
    definitions,
  };
}

const RESOURCE_DEFINITION: Readonly<Record<SchemaKind, string>> = { workflow: 'Workflow', version: 'WorkflowVersion', trigger: 'WorkflowTrigger' };

function describe(schema: JsonSchema, descriptions: Readonly<Record<string, string>> | undefined): void {
  const properties = schema['properties'];
  if (!descriptions || !isObject(properties)) return;
  for (const [key, text] of Object.entries(descriptions)) {
    const p = properties[key];
    if (isObject(p) && p['description'] === undefined) p['description'] = text;
  }
}

/** Task parameters by task type: `type: function` needs FunctionTaskParameters, and so on. */
function discriminateTaskParameters(definitions: Record<string, JsonSchema>, flavour: SchemaFlavour): void {
  const task = definitions['TaskDefinition'];
  const properties = task['properties'] as Record<string, JsonSchema>;
  const branches = ((properties['parameters'])['anyOf'] ?? []) as JsonSchema[];
  const byKey = new Map<string, string>();
  for (const branch of branches) {
    const ref = branch['$ref'];
    const name = typeof ref === 'string' ? ref.replace('#/definitions/', '') : '';
    const keys = Object.keys((definitions[name]?.['properties'] as Record<string, unknown> | undefined) ?? {});
    const key = keys.find((k) => k !== 'isAsyncComplete');
    if (key) byKey.set(key, name);
  }
  const rules: JsonSchema[] = [];
  for (const type of KNOWN_TASK_TYPES) {
    const name = byKey.get(PARAMETERS_KEY[type]);
    if (!name) throw new Error(`The OpenAPI document has no parameters schema with a "${PARAMETERS_KEY[type]}" key for task type "${type}".`);
    const parameters = definitions[name];
    parameters['required'] = [PARAMETERS_KEY[type]];
    rules.push({ if: { properties: { type: { const: type } }, required: ['type'] }, then: { properties: { parameters: { $ref: `#/definitions/${name}` } } } });
  }
  if (flavour === 'toolkit') {
    definitions['FunctionAppTaskParameters'] = FUNCTION_APP_PARAMETERS;
    rules.push({ if: { properties: { type: { const: 'functionApp' } }, required: ['type'] }, then: { properties: { parameters: { $ref: '#/definitions/FunctionAppTaskParameters' } } } });
  }
  properties['parameters'] = {
    type: 'object',
    description: 'The settings of the task, under the key its type names: `function`, `transformation`, `cdfRequest` (type `cdf`), `dynamic`, `subworkflow` or `simulation`.',
  };
  task['allOf'] = rules;
  for (const key of ['retries', 'timeout']) {
    const p = properties[key];
    p['type'] = ['number', 'null'];
  }
  const onFailure = properties['onFailure'];
  onFailure['type'] = ['string', 'null'];
  onFailure['enum'] = [...(onFailure['enum'] as unknown[]), null];
  properties['type'] = { ...properties['type'], description: 'What the task runs: a Cognite Function, a transformation, a CDF request (`cdf`), tasks made by an earlier task (`dynamic`), a subworkflow or a simulation.' };
}

// The Toolkit's shapes, from its YAML classes (TOOLKIT.md §2, §3, §6); descriptions are ours.
const FUNCTION_APP_PARAMETERS: JsonSchema = {
  type: 'object',
  description: 'Parameters of a Function App task (Cognite Toolkit; not in the API specification).',
  properties: {
    functionApp: {
      type: 'object',
      description: 'The Function App to call.',
      properties: {
        externalId: { type: 'string', description: 'External id of the Function App, or a reference.', 'x-cdf-reference': true },
        path: { type: 'string', maxLength: 255, description: 'The HTTP path to call on the Function App.' },
        method: { type: 'string', description: 'HTTP method: GET, POST, PUT, DELETE or PATCH (or a reference).', 'x-cdf-suggest': ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] },
        parameters: { type: 'object', maxProperties: 10, additionalProperties: { type: 'string' }, description: 'Query parameters (at most 10).' },
        body: { description: 'Request body.' },
      },
      required: ['externalId', 'path'],
    },
  },
  required: ['functionApp'],
};

const RECORD_STREAM_TRIGGER: JsonSchema = {
  type: 'object',
  description: 'Starts executions from records written to a stream (Cognite Toolkit and Python SDK; not in the stable API specification).',
  properties: {
    triggerType: { type: 'string', enum: ['recordStream'] },
    streamExternalId: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[a-z]([a-z0-9_-]{0,98}[a-z0-9])?$', description: 'External id of the stream whose records start executions.' },
    filter: { description: 'A records filter: only matching records start executions.' },
    sources: {
      type: 'array',
      description: 'Which container properties to pass on.',
      items: {
        type: 'object',
        properties: {
          source: { type: 'object', description: 'A container: `{type: container, space, externalId}`.' },
          properties: { type: 'array', minItems: 1, maxItems: 1000, items: { type: 'string' }, description: 'Properties to return; "*" for all.' },
        },
        required: ['source', 'properties'],
      },
    },
    batchSize: { type: 'integer', minimum: 1, maximum: 100, description: 'The most records passed to one execution.' },
    batchTimeout: { type: 'integer', minimum: 10, maximum: 86400, description: 'Seconds to wait for a full batch before passing a partial one.' },
    initializeCursor: { type: 'string', description: 'Where to start reading, e.g. `6h-ago` (Python SDK).' },
  },
  required: ['triggerType', 'streamExternalId', 'batchSize', 'batchTimeout'],
};

function applyToolkitDifferences(kind: SchemaKind, root: JsonSchema, definitions: Record<string, JsonSchema>): void {
  const properties = root['properties'] as Record<string, JsonSchema>;
  if (kind === 'workflow') {
    delete properties['dataSetId'];
    delete definitions['dataSetIdWorkflows'];
    delete definitions['CogniteInternalId'];
    properties['dataSetExternalId'] = {
      type: 'string',
      description: 'External id of the data set the workflow belongs to (Cognite Toolkit: looked up and sent as `dataSetId`). Access to the data set is then needed for everything on the workflow.',
    };
  }
  if (kind === 'version') {
    const type = definitions['TaskType'];
    type['enum'] = [...(type['enum'] as string[]), 'functionApp'];
  }
  if (kind === 'trigger') {
    properties['authentication'] = {
      type: 'object',
      description: 'Client credentials the Cognite Toolkit creates a session from at deploy; only the session nonce is sent to CDF. Use `${ENV_VAR}` placeholders, never a secret in the file.',
      properties: {
        clientId: { type: 'string', description: 'Client id of the identity the executions run as.' },
        clientSecret: { type: 'string', description: 'Its client secret: an environment variable such as `${TRIGGER_CLIENT_SECRET}`.' },
      },
      required: ['clientId', 'clientSecret'],
    };
    delete definitions['Authentication'];
    definitions['RecordStreamTrigger'] = RECORD_STREAM_TRIGGER;
    const rule = definitions['TriggerRule'];
    rule['anyOf'] = [...(rule['anyOf'] as JsonSchema[]), { $ref: '#/definitions/RecordStreamTrigger' }];
  }
}

/** Closes declared objects, marks reference-capable values and turns object `maxLength` into a byte limit. */
function tighten(schema: unknown): void {
  if (Array.isArray(schema)) {
    schema.forEach(tighten);
    return;
  }
  if (!isObject(schema)) return;
  if (schema['type'] === 'object' && typeof schema['maxLength'] === 'number') {
    schema['x-cdf-maxBytes'] = schema['maxLength'];
    delete schema['maxLength'];
  }
  if (schema['type'] === 'object' && typeof schema['maxItems'] === 'number') {
    // "maxItems" on an object (query parameters) means its number of entries.
    schema['maxProperties'] = schema['maxItems'];
    delete schema['maxItems'];
  }
  const anyOf = schema['anyOf'];
  if (Array.isArray(anyOf) && anyOf.some((b) => isObject(b) && b['$ref'] === '#/definitions/Reference')) schema['x-cdf-reference'] = true;
  if (schema['type'] === 'object' && isObject(schema['properties']) && schema['additionalProperties'] === undefined) {
    schema['additionalProperties'] = false;
  }
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' && isObject(value)) for (const p of Object.values(value)) tighten(p);
    else if (key !== 'enum' && key !== 'const' && key !== 'default') tighten(value);
  }
}

function isObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
