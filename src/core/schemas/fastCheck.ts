// Validation in place for large pages: compiled once from a zod schema, it checks a parsed JSON value
// without copying it (zod allocates a new object per item, which doubles the cost of a 1000-item page).
// Only a plain subset compiles: loose objects, strings, finite numbers, booleans, unknown, optional,
// nullable, default, arrays and records without extra checks. Anything else, and any value that fails
// the fast check, goes to zod itself, so results and error messages are exactly zod's.
import type * as z from 'zod/mini';

type Check = (value: unknown) => boolean;

interface Def {
  type: string;
  checks?: unknown[];
  innerType?: z.ZodMiniType;
  keyType?: z.ZodMiniType;
  valueType?: z.ZodMiniType;
  element?: z.ZodMiniType;
  shape?: Record<string, z.ZodMiniType>;
  catchall?: z.ZodMiniType;
  defaultValue?: unknown;
}

const defOf = (schema: z.ZodMiniType): Def => (schema as unknown as { def: Def }).def;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const plain = (def: Def) => def.checks === undefined || def.checks.length === 0;

/** A check that accepts exactly what `schema` accepts (for JSON values), or undefined when it cannot be compiled. */
export function compileCheck(schema: z.ZodMiniType): Check | undefined {
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      return plain(def) ? (v) => typeof v === 'string' : undefined;
    case 'number':
      return plain(def) ? (v) => typeof v === 'number' && Number.isFinite(v) : undefined;
    case 'boolean':
      return (v) => typeof v === 'boolean';
    case 'unknown':
    case 'any':
      return () => true;
    case 'optional': {
      const inner = compileCheck(def.innerType!);
      return inner && ((v) => v === undefined || inner(v));
    }
    case 'nullable': {
      const inner = compileCheck(def.innerType!);
      return inner && ((v) => v === null || inner(v));
    }
    case 'record': {
      const value = compileCheck(def.valueType!);
      if (!value || defOf(def.keyType!).type !== 'string' || !plain(defOf(def.keyType!))) return undefined;
      return (v) => {
        if (!isRecord(v)) return false;
        for (const key in v) if (!value(v[key])) return false;
        return true;
      };
    }
    case 'array': {
      const element = compileCheck(def.element!);
      if (!element || !plain(def)) return undefined;
      return (v) => {
        if (!Array.isArray(v)) return false;
        for (let i = 0; i < v.length; i++) if (!element(v[i])) return false;
        return true;
      };
    }
    case 'object':
      return compileLooseObject(def);
    default:
      return undefined;
  }
}

function compileLooseObject(def: Def): Check | undefined {
  // Only loose objects keep the input as it is; strict and stripping objects would change it.
  if (!def.catchall || defOf(def.catchall).type !== 'unknown' || !plain(def)) return undefined;
  const fields: { key: string; check: Check; fallback?: () => unknown }[] = [];
  for (const [key, field] of Object.entries(def.shape ?? {})) {
    const fieldDef = defOf(field);
    if (fieldDef.type === 'default') {
      const check = compileCheck(fieldDef.innerType!);
      if (!check) return undefined;
      const value = fieldDef.defaultValue;
      // A fresh copy per item, as zod gives.
      const fallback = isRecord(value) ? () => ({ ...value }) : Array.isArray(value) ? () => [...(value as unknown[])] : () => value;
      fields.push({ key, check, fallback });
      continue;
    }
    const check = compileCheck(field);
    if (!check) return undefined;
    fields.push({ key, check });
  }
  return (v) => {
    if (!isRecord(v)) return false;
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i];
      let value = v[f.key];
      if (value === undefined && f.fallback) value = v[f.key] = f.fallback();
      if (!f.check(value)) return false;
    }
    return true;
  };
}
