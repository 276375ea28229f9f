// Validates a SourceNode tree against the generated schemas, each finding on the key or value it is about:
// unknown keys (with the nearest known key), types, enums, limits, patterns, required keys, and the
// serialized size of objects CDF limits in bytes. Values that come from a masked or substituted Toolkit
// template are not judged (the value CDF gets is the variable's, not the text's).
import { closest } from '../suggest';
import { type PathSegment, type SourceNode, type SourceObject } from '../source';
import { type JsonSchema } from './generate';
import { type SchemaRef, type SchemaSet, isObject } from './schemaSet';

export type SchemaFindingCode = 'unknown-key' | 'type' | 'enum' | 'required' | 'limit' | 'pattern' | 'not-reference';

export interface SchemaFinding {
  readonly severity: 'error' | 'warning';
  readonly code: SchemaFindingCode;
  readonly message: string;
  readonly start: number;
  readonly end: number;
  readonly path: readonly PathSegment[];
  /** For unknown keys: the key and the nearest known one; for enums: the nearest allowed value. */
  readonly data?: { readonly key?: string; readonly suggestion?: string };
}

const REFERENCE = /^\$\{[^{}]*\}$/;
const MAX_FINDINGS = 1000;

/** A path shared by the checks below it: arrays are made only for findings. */
interface PathLink {
  readonly parent: PathLink | undefined;
  readonly segment: PathSegment;
}

function toArray(link: PathLink | undefined): PathSegment[] {
  const out: PathSegment[] = [];
  for (let l = link; l; l = l.parent) out.push(l.segment);
  return out.reverse();
}

interface Where {
  readonly path: PathLink | undefined;
  /** The range to mark for findings about the whole value (the key that holds it, when there is one). */
  readonly keyRange?: { start: number; end: number };
  readonly key?: PathSegment;
}

export function validateResource(set: SchemaSet, resource: SchemaRef, node: SourceNode, path: readonly PathSegment[] = []): SchemaFinding[] {
  const findings: SchemaFinding[] = [];
  let link: PathLink | undefined;
  for (const segment of path) link = { parent: link, segment };
  new Validator(set, findings).check(resource, node, { path: link });
  return findings;
}

class Validator {
  constructor(
    private readonly set: SchemaSet,
    private readonly findings: SchemaFinding[],
    /** The value may also be a `${...}` reference: messages say so. */
    private readonly referenceAllowed = false,
  ) {}

  private add(finding: SchemaFinding): void {
    if (this.findings.length < MAX_FINDINGS) this.findings.push(finding);
  }

  /** Checks `node`; returns the number of findings it added (the caller compares anyOf branches with it). */
  check(ref: SchemaRef, node: SourceNode, where: Where): void {
    if (node.templated && node.kind === 'scalar') return;
    const schema = this.set.deref(ref.doc, ref.schema);
    const anyOf = schema['anyOf'];
    if (Array.isArray(anyOf)) {
      this.checkAnyOf(ref, schema, anyOf as JsonSchema[], node, where);
      return;
    }
    if (this.set.refName(ref.schema) === 'Reference') {
      this.checkReference(node, where, schema);
      return;
    }
    if (!this.checkType(schema, node, where)) return;
    this.checkValue(schema, node, where);
    if (node.kind === 'object') this.checkObject(ref, schema, node, where);
    else if (node.kind === 'array') this.checkArray(ref.doc, schema, node, where);
  }

  private range(node: SourceNode, where: Where): { start: number; end: number } {
    // Whole objects and lists are marked by their key: a squiggle over fifty lines helps nobody.
    if (node.kind !== 'scalar' && where.keyRange) return where.keyRange;
    if (node.kind === 'object' && node.properties[0]) return { start: node.start, end: node.properties[0].keyEnd };
    return { start: node.start, end: Math.max(node.end, node.start + 1) };
  }

  private name(where: Where): string {
    let l = where.path;
    while (l && typeof l.segment !== 'string') l = l.parent;
    return l === undefined ? 'The value' : `"${l.segment}"`;
  }

  private checkReference(node: SourceNode, where: Where, schema: JsonSchema): void {
    if (node.kind === 'scalar' && typeof node.value === 'string' && REFERENCE.test(node.value)) return;
    const example = typeof schema['x-cdf-example'] === 'string' ? schema['x-cdf-example'] : '${task.output.key}';
    this.add({
      severity: 'error',
      code: 'not-reference',
      message: `${this.name(where)} must be a reference such as ${example}, written as the whole value.`,
      ...this.range(node, where),
      path: toArray(where.path),
    });
  }

  private checkAnyOf(ref: SchemaRef, schema: JsonSchema, branches: JsonSchema[], node: SourceNode, where: Where): void {
    const results: { branch: JsonSchema; findings: SchemaFinding[]; typeFits: boolean }[] = [];
    for (const raw of branches) {
      const branch = this.set.deref(ref.doc, raw);
      const findings: SchemaFinding[] = [];
      const isRef = this.set.refName(raw) === 'Reference';
      // A Reference branch keeps its $ref, which is how `check` knows it.
      new Validator(this.set, findings).check({ doc: ref.doc, schema: isRef ? raw : branch }, node, where);
      if (findings.length === 0) return;
      const typeFits = isRef ? node.kind === 'scalar' && typeof node.value === 'string' && node.value.includes('${') : typeMatches(branch, node);
      results.push({ branch, findings, typeFits });
    }
    const fitting = results.filter((r) => r.typeFits);
    if (fitting.length > 0) {
      // The branch of the value's own type says best what is wrong.
      const best = fitting.reduce((a, b) => (b.findings.length < a.findings.length ? b : a));
      const canBeReference = schema['x-cdf-reference'] === true && !best.findings.some((f) => f.code === 'not-reference');
      if (canBeReference) new Validator(this.set, this.findings, true).check({ doc: ref.doc, schema: best.branch }, node, where);
      else for (const f of best.findings) this.add(f);
      return;
    }
    const types = [...new Set(results.flatMap((r) => (r.findings.some((f) => f.code === 'not-reference') ? ['a reference ${...}'] : describeTypes(r.branch))))];
    this.add({
      severity: 'error',
      code: 'type',
      message: `${this.name(where)} must be ${joinOr(types)}, not ${describeNode(node)}.`,
      ...this.range(node, where),
      path: toArray(where.path),
    });
  }

  /** False when the type is wrong (the value is then not checked further). */
  private checkType(schema: JsonSchema, node: SourceNode, where: Where): boolean {
    if (schema['type'] === undefined || typeMatches(schema, node)) return true;
    const expected = [...describeTypes(schema), ...(this.referenceAllowed ? ['a reference ${...}'] : [])];
    let message = `${this.name(where)} must be ${joinOr(expected)}, not ${describeNode(node)}.`;
    if (node.kind === 'scalar' && typeof node.value === 'number' && expected.includes('a string')) {
      message = `${this.name(where)} must be a string: write it in quotes, '${String(node.value)}'.`;
    }
    this.add({ severity: 'error', code: 'type', message, ...this.range(node, where), path: toArray(where.path) });
    return false;
  }

  private checkValue(schema: JsonSchema, node: SourceNode, where: Where): void {
    // Built only when there is a finding: most values have none.
    const at = (): { start: number; end: number; path: PathSegment[] } => ({ ...this.range(node, where), path: toArray(where.path) });
    const name = this.name(where);
    if (node.kind === 'scalar') {
      const v = node.value;
      const allowed = schema['enum'];
      if (Array.isArray(allowed) && !allowed.includes(v)) {
        const options = allowed.filter((a): a is string => typeof a === 'string');
        const suggestion = typeof v === 'string' ? closest(v, options) : undefined;
        const choices = [...options.map((o) => `"${o}"`), ...(this.referenceAllowed ? ['a reference ${...}'] : [])];
        this.add({
          severity: 'error',
          code: 'enum',
          message: `${name} must be ${joinOr(choices)}${suggestion ? `; did you mean "${suggestion}"?` : `, not ${JSON.stringify(v)}.`}`,
          ...at(),
          ...(suggestion ? { data: { suggestion } } : {}),
        });
      }
      if (typeof v === 'number') {
        if (typeof schema['minimum'] === 'number' && v < schema['minimum']) this.add({ severity: 'error', code: 'limit', message: `${name} must be at least ${schema['minimum']}, not ${v}.`, ...at() });
        if (typeof schema['maximum'] === 'number' && v > schema['maximum']) this.add({ severity: 'error', code: 'limit', message: `${name} must be at most ${schema['maximum']}, not ${v}.`, ...at() });
      }
      if (typeof v === 'string') {
        const length = [...v].length;
        if (typeof schema['maxLength'] === 'number' && length > schema['maxLength']) this.add({ severity: 'error', code: 'limit', message: `${name} is ${length} characters long; at most ${schema['maxLength']} are allowed.`, ...at() });
        if (typeof schema['minLength'] === 'number' && length < schema['minLength']) this.add({ severity: 'error', code: 'limit', message: `${name} must have at least ${schema['minLength']} character${schema['minLength'] === 1 ? '' : 's'}.`, ...at() });
        if (typeof schema['pattern'] === 'string' && !patternOf(schema['pattern']).test(v)) this.add({ severity: 'error', code: 'pattern', message: `${name} must match ${schema['pattern']}.`, ...at() });
      }
    } else if (node.kind === 'array') {
      if (typeof schema['maxItems'] === 'number' && node.items.length > schema['maxItems']) this.add({ severity: 'error', code: 'limit', message: `${name} has ${node.items.length} entries; at most ${schema['maxItems']} are allowed.`, ...at() });
      if (typeof schema['minItems'] === 'number' && node.items.length < schema['minItems']) this.add({ severity: 'error', code: 'limit', message: `${name} needs at least ${schema['minItems']} entr${schema['minItems'] === 1 ? 'y' : 'ies'}.`, ...at() });
    } else {
      const count = node.properties.length;
      if (typeof schema['maxProperties'] === 'number' && count > schema['maxProperties']) this.add({ severity: 'error', code: 'limit', message: `${name} has ${count} entries; at most ${schema['maxProperties']} are allowed.`, ...at() });
      if (typeof schema['minProperties'] === 'number' && count < schema['minProperties']) this.add({ severity: 'error', code: 'limit', message: `${name} needs at least ${schema['minProperties']} entr${schema['minProperties'] === 1 ? 'y' : 'ies'}.`, ...at() });
      const maxBytes = schema['x-cdf-maxBytes'];
      // JSON of a value is at most a few times its source text: only long values are serialized to measure.
      if (typeof maxBytes === 'number' && count > 0 && (node.end - node.start) * 4 > maxBytes) {
        const bytes = Buffer.byteLength(JSON.stringify(valueOf(node)), 'utf8');
        if (bytes > maxBytes) this.add({ severity: 'error', code: 'limit', message: `${name} is ${(bytes / 1000).toFixed(0)} KB as JSON; CDF allows at most ${maxBytes / 1000} KB.`, ...at() });
      }
    }
  }

  private checkObject(ref: SchemaRef, schema: JsonSchema, node: SourceObject, where: Where): void {
    const properties = this.set.properties(ref, node);
    const extra = schema['additionalProperties'];
    const present = new Set(node.properties.map((p) => p.key));
    for (const key of (schema['required'] as string[] | undefined) ?? []) {
      if (present.has(key)) continue;
      this.add({
        severity: 'error',
        code: 'required',
        message: `${capitalize(this.set.label(ref.schema, where.key))} needs "${key}".`,
        ...this.range(node, where),
        path: toArray(where.path),
        data: { key },
      });
    }
    const seen = new Set<string>();
    for (const p of node.properties) {
      if (seen.has(p.key)) continue; // a duplicate key is a syntax error of its own
      seen.add(p.key);
      const path: PathLink = { parent: where.path, segment: p.key };
      const propSchema = properties.get(p.key) ?? (isObject(extra) ? extra : undefined);
      if (!propSchema) {
        if (extra === false && !p.value?.templated && !/\{\{/.test(p.key)) {
          const suggestion = closest(p.key, [...properties.keys()]);
          this.add({
            severity: 'warning',
            code: 'unknown-key',
            message: `"${p.key}" is not a key of ${this.set.label(ref.schema, where.key)}${suggestion ? `; did you mean "${suggestion}"?` : `. Known keys: ${[...properties.keys()].join(', ')}.`}`,
            start: p.keyStart,
            end: p.keyEnd,
            path: toArray(path),
            data: { key: p.key, ...(suggestion ? { suggestion } : {}) },
          });
        }
        continue;
      }
      if (p.value) this.check({ doc: ref.doc, schema: propSchema }, p.value, { path, keyRange: { start: p.keyStart, end: p.keyEnd }, key: p.key });
    }
  }

  private checkArray(doc: JsonSchema, schema: JsonSchema, node: SourceNode & { kind: 'array' }, where: Where): void {
    const items = schema['items'];
    if (!isObject(items)) return;
    node.items.forEach((item, i) => this.check({ doc, schema: items }, item, { path: { parent: where.path, segment: i }, key: where.key }));
  }
}

const patterns = new Map<string, RegExp>();

function patternOf(source: string): RegExp {
  let re = patterns.get(source);
  if (!re) patterns.set(source, (re = new RegExp(source, 'u')));
  return re;
}

function typeMatches(schema: JsonSchema, node: SourceNode): boolean {
  const type = schema['type'];
  if (type === undefined) return true;
  const types = Array.isArray(type) ? (type as string[]) : [type as string];
  return types.some((t) => {
    switch (t) {
      case 'object':
        return node.kind === 'object';
      case 'array':
        return node.kind === 'array';
      case 'string':
        return node.kind === 'scalar' && typeof node.value === 'string';
      case 'number':
        return node.kind === 'scalar' && typeof node.value === 'number';
      case 'integer':
        return node.kind === 'scalar' && typeof node.value === 'number' && Number.isInteger(node.value);
      case 'boolean':
        return node.kind === 'scalar' && typeof node.value === 'boolean';
      case 'null':
        return node.kind === 'scalar' && node.value === null;
      default:
        return false;
    }
  });
}

function describeTypes(schema: JsonSchema): string[] {
  const type = schema['type'];
  if (type === undefined) return ['a value'];
  const types = Array.isArray(type) ? (type as string[]) : [type as string];
  return types.map((t) => ({ object: 'an object', array: 'a list', string: 'a string', number: 'a number', integer: 'a whole number', boolean: 'true or false', null: 'null' })[t] ?? t);
}

function describeNode(node: SourceNode): string {
  if (node.kind === 'object') return 'an object';
  if (node.kind === 'array') return 'a list';
  const v = node.value;
  if (v === null) return 'empty';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v)}`;
  if (typeof v === 'number') return Number.isInteger(v) ? `the number ${v}` : `the number ${v}`;
  return String(v);
}

function joinOr(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1] ?? ''}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function valueOf(node: SourceNode): unknown {
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'array') return node.items.map(valueOf);
  const out: Record<string, unknown> = {};
  for (const p of node.properties) out[p.key] = p.value ? valueOf(p.value) : null;
  return out;
}
