// The generated JSON Schemas as the checker, completion and hover read them: $ref resolution, the task
// parameters chosen by `type` (if/then), and the schema that applies at a path of a document.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type PathSegment, type SourceNode, child } from '../source';
import { type GeneratedSchemas, type JsonSchema, SCHEMA_FILES, type SchemaFlavour, type SchemaKind } from './generate';

export class SchemaSet {
  constructor(readonly schemas: GeneratedSchemas) {}

  /** The schema files written by `npm run build:schemas` (dist/schemas). */
  static load(dir: string): SchemaSet {
    const read = (file: string): JsonSchema => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as JsonSchema;
    const flavour = (f: SchemaFlavour): Record<SchemaKind, JsonSchema> => ({
      workflow: read(SCHEMA_FILES[f].workflow),
      version: read(SCHEMA_FILES[f].version),
      trigger: read(SCHEMA_FILES[f].trigger),
    });
    return new SchemaSet({ api: flavour('api'), toolkit: flavour('toolkit') });
  }

  /** The root document of a kind (its `definitions` are what `$ref`s point into). */
  document(flavour: SchemaFlavour, kind: SchemaKind): JsonSchema {
    return this.schemas[flavour][kind];
  }

  /** The schema of one resource of a kind. */
  resource(flavour: SchemaFlavour, kind: SchemaKind): SchemaRef {
    const key = `${flavour}/${kind}`;
    let ref = this.resources.get(key);
    if (!ref) {
      const doc = this.document(flavour, kind);
      ref = { doc, schema: { $ref: doc['x-cdf-resource'] } };
      this.resources.set(key, ref);
    }
    return ref;
  }

  /** Dereferenced schemas, by the schema object (schemas are never changed once generated). */
  private readonly derefs = new WeakMap<JsonSchema, JsonSchema>();
  private readonly propertyMaps = new WeakMap<JsonSchema, Map<string, Map<string, JsonSchema>>>();
  private readonly branchLists = new WeakMap<JsonSchema, JsonSchema[]>();
  private readonly resources = new Map<string, SchemaRef>();

  deref(doc: JsonSchema, schema: JsonSchema): JsonSchema {
    let done = this.derefs.get(schema);
    if (!done) {
      done = this.derefUncached(doc, schema);
      this.derefs.set(schema, done);
    }
    return done;
  }

  private derefUncached(doc: JsonSchema, schema: JsonSchema): JsonSchema {
    let current = schema;
    for (let i = 0; i < 20; i++) {
      const ref = current['$ref'];
      if (typeof ref !== 'string' || !ref.startsWith('#/definitions/')) return current;
      const target = (doc['definitions'] as Record<string, JsonSchema>)[ref.slice('#/definitions/'.length)];
      if (!target) return current;
      // Keys beside a $ref (a description) win over the target's.
      const { $ref: _ref, ...rest } = current;
      current = { ...target, ...rest };
    }
    return current;
  }

  /** The definition name a schema refers to (`TaskDefinition`), when it is a $ref. */
  refName(schema: JsonSchema): string | undefined {
    const ref = schema['$ref'];
    return typeof ref === 'string' && ref.startsWith('#/definitions/') ? ref.slice('#/definitions/'.length) : undefined;
  }

  /**
   * The schemas of an object's properties, with the if/then rules that `node` (the object's value) selects:
   * a task of `type: function` gets its `parameters` from FunctionTaskParameters.
   */
  properties(ref: SchemaRef, node: SourceNode | undefined): ReadonlyMap<string, JsonSchema> {
    const schema = this.deref(ref.doc, ref.schema);
    const rules = (schema['allOf'] as JsonSchema[] | undefined) ?? [];
    // Which if/then rules the node selects; the merged map is kept per selection.
    const selected = rules.map((rule, i) => (isObject(rule['if']) && isObject(rule['then']) && matchesIf(rule['if'], node) ? i : -1)).filter((i) => i >= 0);
    let bySelection = this.propertyMaps.get(schema);
    if (!bySelection) this.propertyMaps.set(schema, (bySelection = new Map<string, Map<string, JsonSchema>>()));
    const key = selected.join(',');
    let out = bySelection.get(key);
    if (!out) {
      out = new Map<string, JsonSchema>(Object.entries((schema['properties'] as Record<string, JsonSchema> | undefined) ?? {}));
      for (const i of selected) {
        const then = (rules[i])['then'] as JsonSchema;
        for (const [k, value] of Object.entries((then['properties'] as Record<string, JsonSchema> | undefined) ?? {})) out.set(k, { ...out.get(k), ...value });
      }
      bySelection.set(key, out);
    }
    return out;
  }

  /** The branches of an anyOf (dereferenced), or the schema itself. */
  branches(ref: SchemaRef): JsonSchema[] {
    const schema = this.deref(ref.doc, ref.schema);
    let list = this.branchLists.get(schema);
    if (!list) {
      const anyOf = schema['anyOf'];
      list = Array.isArray(anyOf)
        ? (anyOf as JsonSchema[]).map((b) => ({ ...this.deref(ref.doc, b), ...(schema['description'] && !b['description'] ? { description: schema['description'] } : {}) }))
        : [schema];
      this.branchLists.set(schema, list);
    }
    return list;
  }

  /**
   * The schema at a path below a resource, following objects, arrays and anyOf branches that fit the
   * document's nodes; undefined when the path leaves the schema (an unknown key, free-form data).
   */
  at(resource: SchemaRef, root: SourceNode, path: readonly PathSegment[]): SchemaRef | undefined {
    let ref: SchemaRef | undefined = resource;
    let node: SourceNode | undefined = root;
    for (const segment of path) {
      if (!ref) return undefined;
      const next = this.step(ref, node, segment);
      node = node === undefined ? undefined : typeof segment === 'number' ? (node.kind === 'array' ? node.items[segment] : undefined) : child(node, segment);
      ref = next;
    }
    return ref;
  }

  private step(ref: SchemaRef, node: SourceNode | undefined, segment: PathSegment): SchemaRef | undefined {
    for (const branch of this.branches(ref)) {
      const b: SchemaRef = { doc: ref.doc, schema: branch };
      if (typeof segment === 'number') {
        const items = branch['items'];
        if (isObject(items)) return { doc: ref.doc, schema: items };
      } else {
        const props = this.properties(b, node);
        const p = props.get(segment);
        if (p) return { doc: ref.doc, schema: p };
        const extra = branch['additionalProperties'];
        if (isObject(extra)) return { doc: ref.doc, schema: extra };
      }
    }
    return undefined;
  }

  /** A short name for what an object is, for messages: "a task", "a dependsOn entry". */
  label(schema: JsonSchema, key?: PathSegment): string {
    const name = this.refName(schema);
    return (name && LABELS[name]) ?? (typeof key === 'string' ? `"${key}"` : 'this entry');
  }
}

export interface SchemaRef {
  /** The schema document the $refs of `schema` resolve in. */
  readonly doc: JsonSchema;
  readonly schema: JsonSchema;
}

const LABELS: Readonly<Record<string, string>> = {
  TaskDefinition: 'a task',
  TaskDepends: 'a dependsOn entry',
  WorkflowDefinition: 'workflowDefinition',
  WorkflowVersion: 'a workflow version',
  Workflow: 'a workflow',
  WorkflowTrigger: 'a trigger',
  CronTrigger: 'a schedule trigger rule',
  DataModelingTrigger: 'a data modeling trigger rule',
  RecordStreamTrigger: 'a record stream trigger rule',
  FunctionTaskParameters: 'the parameters of a function task',
  TransformationTaskParameters: 'the parameters of a transformation task',
  CdfTaskParameters: 'the parameters of a cdf task',
  DynamicTaskParameters: 'the parameters of a dynamic task',
  SubworkflowTaskParameters: 'the parameters of a subworkflow task',
  SimulatorTaskParameters: 'the parameters of a simulation task',
  FunctionAppTaskParameters: 'the parameters of a functionApp task',
  SimulatorInput: 'a simulation input',
};

/** `if: {properties: {type: {const: 'function'}}, required: ['type']}` against an object node. */
function matchesIf(condition: JsonSchema, node: SourceNode | undefined): boolean {
  if (node?.kind !== 'object') return false;
  for (const [key, expected] of Object.entries((condition['properties'] as Record<string, JsonSchema> | undefined) ?? {})) {
    const value = child(node, key);
    if (value?.kind !== 'scalar' || value.value !== expected['const']) return false;
  }
  return true;
}

export function isObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
