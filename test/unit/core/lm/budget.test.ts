import * as assert from 'node:assert/strict';
import { countTokens as cl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { countTokens as o200k } from 'gpt-tokenizer/encoding/o200k_base';
import {
  BoundedText,
  clip,
  compactJson,
  DEFAULT_TOOL_TOKEN_BUDGET,
  estimateTokens,
  fitToTokens,
  MIN_TOOL_TOKEN_BUDGET,
  oneLine,
  tokenBudget,
} from '../../../../src/core/lm/budget';
import { fanOutExecution, logLines } from './builders';

describe('language-model answers: budgets and cuts', () => {
  it('gives an answer about 4,000 tokens by default, less when the caller asks for less, never more', () => {
    assert.equal(tokenBudget(), DEFAULT_TOOL_TOKEN_BUDGET);
    assert.equal(tokenBudget(1000), 1000);
    assert.equal(tokenBudget(100_000), DEFAULT_TOOL_TOKEN_BUDGET);
    assert.equal(tokenBudget(10), MIN_TOOL_TOKEN_BUDGET);
    assert.equal(tokenBudget(Number.NaN), DEFAULT_TOOL_TOKEN_BUDGET);
  });

  it('estimates no fewer tokens than GPT-4 and GPT-4o count, for ids, JSON, logs and prose', () => {
    const e = fanOutExecution({ dynamicTasks: 2, per: 60, failed: ['site-1-3'] });
    const samples: Record<string, string> = {
      'task lines': e.executedTasks.map((t) => `- ${t.parentTaskExternalId ?? ''} › ${t.externalId} [transformation tr-${t.externalId}] ${t.status} 4 s`).join('\n'),
      'ids and timestamps': e.executedTasks.map((t) => `${t.id} 2026-05-01 02:00:0${t.externalId.length % 10} UTC`).join('\n'),
      json: JSON.stringify(e.executedTasks),
      logs: logLines(20_000).map((l) => `02:00:01 ${l.message}`).join('\n'),
      prose: 'Why execution 6b0b3c1e of daily-asset-sync@2 ended FAILED: the SAP gateway did not answer within 30 s, so the contextualization task failed and the hierarchy refresh never started. '.repeat(40),
      uuids: Array.from({ length: 200 }, (_, i) => `6b0b3c1e-${String(i).padStart(4, '0')}-4000-8000-0000000005${String(i).padStart(2, '0')}`).join(', '),
    };
    for (const [name, text] of Object.entries(samples)) {
      const real = Math.max(o200k(text), cl100k(text));
      const estimate = estimateTokens(text);
      assert.ok(estimate >= real, `${name}: estimated ${estimate}, real ${real}`);
      assert.ok(estimate <= real * 1.6, `${name}: estimated ${estimate}, real ${real}: too wasteful`);
    }
  });

  it('fits an answer to its token budget by rendering it smaller, with the caller\'s counter when given', async () => {
    const render = (maxChars: number) => clip('word 123, '.repeat(5000), maxChars);
    const fitted = await fitToTokens(render, 1000);
    assert.ok(estimateTokens(fitted) <= 1000 && estimateTokens(fitted) > 800, `${estimateTokens(fitted)} tokens`);
    const counted: number[] = [];
    const byCaller = await fitToTokens(render, 1000, (t) => {
      counted.push(t.length);
      return Promise.resolve(t.length);
    });
    assert.ok(byCaller.length <= 1000 && byCaller.length > 900);
    assert.ok(counted.length >= 2, 'counted, rendered again, counted');
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
