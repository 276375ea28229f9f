import * as assert from 'node:assert/strict';
import { InputError } from '../../../../src/core/errors';
import { RUN_INPUT_MAX_BYTES, parseRunInput } from '../../../../src/core/run';

function refusal(text: string): InputError {
  try {
    parseRunInput(text);
  } catch (error) {
    assert.ok(error instanceof InputError, `expected InputError, got ${String(error)}`);
    return error;
  }
  assert.fail(`expected ${JSON.stringify(text)} to be refused`);
}

describe('core/run parseRunInput', () => {
  it('returns the object and its compact UTF-8 size as sent', () => {
    const { input, bytes } = parseRunInput('{\n  "site": "Oslø",\n  "limit": 10\n}\n');
    assert.deepEqual(input, { site: 'Oslø', limit: 10 });
    assert.equal(bytes, Buffer.byteLength('{"site":"Oslø","limit":10}', 'utf8'));
    assert.equal(bytes, 27);
  });

  it('accepts an empty object', () => {
    assert.deepEqual(parseRunInput(' {} '), { input: {}, bytes: 2 });
  });

  it('ignores a leading byte-order mark', () => {
    assert.deepEqual(parseRunInput('\uFEFF{"a":1}').input, { a: 1 });
  });

  it('places a missing comma at its 1-based line and column', () => {
    const error = refusal('{\n  "a": 1\n  "b": 2\n}');
    assert.deepEqual(error.location, { line: 3, column: 3, offset: 13 });
    assert.match(error.message, /expected ',' between entries/);
    assert.match(error.message, /line 3, column 3/);
  });

  it('refuses a trailing comma and says so', () => {
    const error = refusal('{\n  "a": 1,\n}');
    assert.match(error.message, /trailing comma/);
    assert.deepEqual(error.location, { line: 3, column: 1, offset: 12 });
  });

  it('refuses comments, since the input is strict JSON', () => {
    const error = refusal('{\n  // the site\n  "a": 1\n}');
    assert.match(error.message, /comments are not allowed/);
    assert.equal(error.location?.line, 2);
    assert.equal(error.location?.column, 3);
  });

  it('gives a position for errors that JSON.parse on Node 20 leaves without one', () => {
    // JSON.parse says only "Unexpected token '}'" here.
    const error = refusal('{"a": tru}');
    assert.deepEqual(error.location, { line: 1, column: 7, offset: 6 });
    assert.match(error.message, /unexpected 'tru'/);
  });

  it('says where the text ends too early', () => {
    const error = refusal('{"a": [1, 2');
    assert.match(error.message, /ends before the list is closed/);
    assert.equal(error.location?.offset, 11);
  });

  it('names a mismatched bracket', () => {
    assert.match(refusal('{"a": [1, 2}').message, /close the list opened with '\['/);
  });

  it('explains single quotes, unquoted names, leading zeros and NaN', () => {
    assert.match(refusal("{'a': 1}").message, /double quotes/);
    assert.match(refusal('{a: 1}').message, /double quotes/);
    assert.match(refusal('{"a": 01}').message, /leading zeros/);
    assert.match(refusal('{"a": NaN}').message, /NaN is not a JSON value/);
  });

  it('refuses a raw line break inside a string', () => {
    const error = refusal('{"a": "x\ny"}');
    assert.match(error.message, /string is not closed/);
    assert.deepEqual(error.location, { line: 1, column: 7, offset: 6 });
  });

  it('refuses text after the value', () => {
    assert.match(refusal('{} {}').message, /after the end of the JSON value/);
    assert.match(refusal('{} x').message, /after the end of the JSON value/);
  });

  it('counts CRLF line endings as one line break', () => {
    assert.deepEqual(refusal('{\r\n"a": 1\r\n"b": 2}').location, { line: 3, column: 1, offset: 11 });
  });

  it('refuses an empty file with a message saying the input must be a JSON object', () => {
    for (const text of ['', '   \n\t']) {
      const error = refusal(text);
      assert.match(error.message, /empty; it must be a JSON object/);
      assert.equal(error.location?.line, 1);
    }
  });

  it('refuses a top-level array, string, number, boolean and null', () => {
    for (const [text, kind] of [
      ['[1, 2]', 'a list'],
      ['"text"', 'a string'],
      ['42', 'a number'],
      ['true', 'a boolean'],
      ['null', 'null'],
    ] as const) {
      const error = refusal(`\n  ${text}`);
      assert.match(error.message, /must be a JSON object/);
      assert.ok(error.message.includes(`not ${kind}`), error.message);
      assert.deepEqual(error.location, { line: 2, column: 3, offset: 3 });
    }
  });

  it('accepts an input of exactly 100 KB as sent', () => {
    const filler = 'x'.repeat(RUN_INPUT_MAX_BYTES - '{"data":""}'.length);
    const { bytes } = parseRunInput(JSON.stringify({ data: filler }));
    assert.equal(bytes, RUN_INPUT_MAX_BYTES);
  });

  it('refuses an input over 100 KB before sending anything, giving the size and the limit', () => {
    const filler = 'x'.repeat(RUN_INPUT_MAX_BYTES - '{"data":""}'.length + 1);
    const error = refusal(JSON.stringify({ data: filler }));
    assert.match(error.message, /102,401 bytes/);
    assert.match(error.message, /at most 102,400 bytes/);
  });

  it('measures the size as sent: compact, with multi-byte characters counted in UTF-8', () => {
    // Pretty-printing does not count against the limit ...
    const wide = `{\n${' '.repeat(200_000)}"a": 1\n}`;
    assert.equal(parseRunInput(wide).bytes, 7);
    // ... but each "ø" is two bytes on the wire.
    const text = JSON.stringify({ s: 'ø'.repeat(51_200) });
    assert.ok(text.length < RUN_INPUT_MAX_BYTES);
    assert.match(refusal(text).message, /102,408 bytes/);
  });
});
