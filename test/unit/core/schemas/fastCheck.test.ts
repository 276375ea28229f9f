import assert from 'node:assert/strict';
import * as z from 'zod/mini';
import { pageOf } from '../../../../src/core/schemas/common';
import { compileCheck } from '../../../../src/core/schemas/fastCheck';
import { execution } from '../../../../src/core/schemas/executions';
import { executionBody } from '../support/fixtures';
import '../support/secretScan';

describe('core/schemas in-place page check', () => {
  it('compiles the execution summary schema (the hot path of paging)', () => {
    assert.ok(compileCheck(z.array(execution)));
  });

  it('leaves schemas with transforms, unions or length checks to zod', () => {
    assert.equal(compileCheck(z.string().check(z.minLength(1))), undefined);
    assert.equal(compileCheck(z.union([z.string(), z.number()])), undefined);
    assert.equal(compileCheck(z.object({ a: z.string() })), undefined, 'a stripping object would change the value');
    assert.equal(compileCheck(z.looseObject({ a: z.pipe(z.string(), z.transform((s: string) => s.length)) })), undefined);
  });

  it('gives the same page as zod, defaults included, for valid and odd but valid bodies', () => {
    const full = z.looseObject({ items: z.array(execution), nextCursor: z.nullish(z.string()) });
    const bodies = [
      { items: [executionBody(), executionBody({ metadata: undefined, extra: [1] })], nextCursor: 'c1' },
      { items: [executionBody({ version: null, endTime: null })], nextCursor: null },
      { items: [] },
    ];
    for (const body of bodies) {
      const expected = full.parse(structuredClone(body));
      const page = pageOf(execution).parse(structuredClone(body));
      assert.deepEqual(page.items, expected.items);
      assert.equal(page.nextCursor, expected.nextCursor ?? undefined);
      assert.equal('nextCursor' in page, expected.nextCursor != null);
    }
  });

  it('reports a broken item exactly as zod does, with its path', () => {
    const body = { items: [executionBody(), executionBody({ createdTime: 'yesterday' })] };
    const result = pageOf(execution).safeParse(body);
    assert.equal(result.success, false);
    assert.deepEqual(result.error.issues.map((i) => [i.path.join('.'), i.code]), [['items.1.createdTime', 'invalid_type']]);
  });

  it('rejects what zod rejects: non-finite numbers, arrays for objects, non-string metadata values', () => {
    const check = compileCheck(z.array(execution))!;
    assert.equal(check([executionBody({ createdTime: Number.NaN })]), false);
    assert.equal(check([[]]), false);
    assert.equal(check([executionBody({ metadata: { a: 1 } })]), false);
    assert.equal(check({}), false);
  });
});
