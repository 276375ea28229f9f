// Building blocks shared by the resource schemas, and the conversion of zod issues into our errors.
// Response schemas are loose (unknown fields are kept, so a newer API does not break us) and strict on
// the fields we rely on.
import * as z from 'zod/mini';
import { type SchemaIssue } from '../errors';
import { compileCheck } from './fastCheck';
import './messages';

export const epochMs = z.number();
export const internalId = z.number();
export const stringMap = z.record(z.string(), z.string());
export const jsonObject = z.record(z.string(), z.unknown());

/** A cursor page; `nextCursor` is absent (some services send null) on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/**
 * A page of `item`. When the item schema is plain enough, a page that passes the in-place check is used
 * as parsed (no copy of 1000 items); otherwise, or when the check fails, zod parses it and reports.
 */
export function pageOf<T extends z.ZodMiniType>(item: T): z.ZodMiniType<Page<z.output<T>>, unknown> {
  const raw = z.looseObject({ items: z.array(item), nextCursor: z.nullish(z.string()) });
  const full = z.pipe(
    raw,
    z.transform((p: z.output<typeof raw>): Page<z.output<T>> => (p.nextCursor == null ? { items: p.items } : { items: p.items, nextCursor: p.nextCursor })),
  );
  const check = compileCheck(z.array(item));
  if (!check) return full;
  return z.transform((value: unknown, ctx): Page<z.output<T>> => {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const { items, nextCursor } = value as { items?: unknown; nextCursor?: unknown };
      if (check(items) && (nextCursor == null || typeof nextCursor === 'string')) {
        const checked = items as z.output<T>[];
        return nextCursor == null ? { items: checked } : { items: checked, nextCursor: nextCursor };
      }
    }
    const result = full.safeParse(value);
    if (result.success) return result.data;
    for (const issue of result.error.issues) ctx.issues.push({ ...issue, input: value } as z.core.$ZodRawIssue);
    return z.NEVER;
  });
}

export const itemsOf = <T extends z.ZodMiniType>(item: T) => z.looseObject({ items: z.array(item) });

/** Bodies that carry nothing we read (`{}` from deletes, pause, resume). */
export const emptyResponse = z.unknown();

/**
 * A union discriminated on `key` where values outside `known` fall through to `fallback` (types the
 * API adds later, or `functionApp`), so they are passed on rather than rejected. Unlike z.union it
 * reports the issues of the matching branch only, with their full path.
 */
export function discriminatedWithFallback<
  const K extends string,
  const M extends Record<string, z.ZodMiniType>,
  F extends z.ZodMiniType,
>(key: K, known: M, fallback: F): z.ZodMiniType<z.output<M[keyof M]> | z.output<F>, z.input<M[keyof M]> | z.input<F>> {
  // Typed by its branches' inputs so request bodies stay typed; at runtime it accepts anything and dispatches.
  const schema = z.transform((value: unknown, ctx) => {
    const tag = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
    const schema: z.ZodMiniType = typeof tag === 'string' && Object.hasOwn(known, tag) ? known[tag] : fallback;
    const result = schema.safeParse(value);
    if (result.success) return result.data as z.output<M[keyof M]> | z.output<F>;
    for (const issue of result.error.issues) ctx.issues.push({ ...issue, input: value } as z.core.$ZodRawIssue);
    return z.NEVER;
  });
  return schema as unknown as z.ZodMiniType<z.output<M[keyof M]> | z.output<F>, z.input<M[keyof M]> | z.input<F>>;
}

/** `items[3].workflowDefinition.tasks[0].type` from a zod path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (typeof part === 'string' && /^[A-Za-z_$][\w$]*$/.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out === '' ? '(body)' : out;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const message = issue.message.replace(/^Invalid input: /, '');
  if (issue.code === 'invalid_type' && message.endsWith('received undefined')) return `missing (expected ${issue.expected})`;
  return message;
}

export function schemaIssues(error: z.core.$ZodError, max = 5): SchemaIssue[] {
  return error.issues.slice(0, max).map((issue) => ({ path: formatPath(issue.path), message: describeIssue(issue) }));
}

export function describeIssues(issues: readonly SchemaIssue[]): string {
  return issues.map((i) => `${i.path}: ${i.message}`).join('; ');
}
