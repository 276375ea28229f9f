import * as assert from 'node:assert/strict';
import {
  BoundedText,
  CHARS_PER_TOKEN,
  charBudget,
  clip,
  compactJson,
  DEFAULT_TOOL_TOKEN_BUDGET,
  estimateTokens,
  MIN_TOOL_TOKEN_BUDGET,
  oneLine,
} from '../../../../src/core/lm/budget';

describe('language-model answers: budgets and cuts', () => {
  it('gives an answer about 4,000 tokens by default, less when the caller asks for less, never more', () => {
    assert.equal(charBudget(), Math.floor(DEFAULT_TOOL_TOKEN_BUDGET * CHARS_PER_TOKEN));
    assert.equal(charBudget(1000), Math.floor(1000 * CHARS_PER_TOKEN));
    assert.equal(charBudget(100_000), charBudget());
    assert.equal(charBudget(10), Math.floor(MIN_TOOL_TOKEN_BUDGET * CHARS_PER_TOKEN));
    assert.equal(charBudget(Number.NaN), charBudget());
    assert.ok(estimateTokens('x'.repeat(charBudget())) <= DEFAULT_TOOL_TOKEN_BUDGET);
  });

  it('cuts text to its limit and says how much it cut, keeping the head or the tail', () => {
    const text = 'a'.repeat(500) + 'b'.repeat(500);
    const head = clip(text, 200);
    assert.ok(head.length <= 200);
    assert.match(head, /^a+ …\[\d+ more characters cut\]$/);
    const cut = Number(/\[(\d+) more/.exec(head)?.[1]);
    assert.equal(head.indexOf(' …'), text.length - cut, 'the count is what was left out');
    const tail = clip(text, 200, 'tail');
    assert.ok(tail.length <= 200);
    assert.match(tail, /^\[\d+ earlier characters cut\]… b+$/);
    assert.equal(clip('short', 200), 'short');
  });

  it('never cuts a character in half', () => {
    const text = '😀'.repeat(300);
    for (const max of [50, 51, 52, 53]) {
      for (const keep of ['head', 'tail'] as const) {
        const out = clip(text, max, keep);
        assert.ok(out.length <= max);
        assert.doesNotMatch(out, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/, `a lone surrogate at ${max} ${keep}`);
      }
    }
  });

  it('puts multi-line text on one line and JSON compact, each within its limit', () => {
    assert.equal(oneLine('a\n  b\r\n\tc', 100), 'a b c');
    assert.equal(compactJson({ a: [1, 2], b: { c: 'd' } }, 100), '{"a":[1,2],"b":{"c":"d"}}');
    assert.equal(compactJson(undefined, 10), 'none');
    const big = compactJson({ rows: Array.from({ length: 1000 }, (_, i) => i) }, 120);
    assert.ok(big.length <= 120);
    assert.match(big, /more characters cut\]$/);
  });

  it('keeps a bounded text under its cap whatever is added, with room for the notes that say what was cut', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 200; round++) {
      const max = 100 + Math.floor(random() * 3000);
      const out = new BoundedText(max);
      for (let i = 0; i < 60; i++) {
        const line = 'x'.repeat(Math.floor(random() * 400));
        if (random() < 0.5) out.add(line, 120);
        else out.addClipped(line, 120);
      }
      const before = out.length;
      out.note('[truncated: a note]');
      const text = out.toString();
      assert.ok(text.length <= max, `${text.length} > ${max}`);
      assert.equal(text.length, out.length);
      if (before + 1 + '[truncated: a note]'.length <= max) assert.ok(text.endsWith('[truncated: a note]'), 'the note fits in the reserve');
    }
  });

  it('reports when a line did not fit', () => {
    const out = new BoundedText(100);
    assert.equal(out.add('a'.repeat(50)), true);
    assert.equal(out.truncated, false);
    assert.equal(out.add('b'.repeat(60)), false);
    assert.equal(out.truncated, true);
    assert.equal(out.toString(), 'a'.repeat(50));
    assert.equal(out.addClipped('c'.repeat(80), 0, 10), true);
    assert.ok(out.toString().length <= 100);
  });
});
