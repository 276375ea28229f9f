import * as assert from 'node:assert/strict';
import { InputError } from '../../../../src/core/errors';
import { formatRunMetadata, parseRunMetadata, validateRunMetadata } from '../../../../src/core/run';

function refusalOf(fn: () => unknown): InputError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof InputError, `expected InputError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a refusal');
}

describe('core/run metadata', () => {
  describe('validateRunMetadata', () => {
    it('accepts 10 entries at the key and value limits', () => {
      const meta: Record<string, string> = {};
      for (let i = 0; i < 10; i++) meta[`${i}`.padStart(32, 'k')] = 'v'.repeat(255);
      assert.doesNotThrow(() => validateRunMetadata(meta));
    });

    it('refuses an 11th entry, giving the limit', () => {
      const meta = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v']));
      assert.match(refusalOf(() => validateRunMetadata(meta)).message, /11 entries; CDF allows at most 10/);
    });

    it('names a key longer than 32 characters', () => {
      const key = 'k'.repeat(33);
      const error = refusalOf(() => validateRunMetadata({ [key]: 'v' }));
      assert.ok(error.message.includes(key));
      assert.match(error.message, /at most 32/);
    });

    it('names the key whose value is longer than 255 characters', () => {
      const error = refusalOf(() => validateRunMetadata({ source: 'v'.repeat(256) }));
      assert.match(error.message, /"source" has a value of 256 characters; values may have at most 255/);
    });

    it('counts characters, not bytes', () => {
      assert.doesNotThrow(() => validateRunMetadata({ note: 'ø'.repeat(255) }));
    });

    it('refuses a value that is not a string, naming the key', () => {
      assert.match(refusalOf(() => validateRunMetadata({ retries: 3 })).message, /"retries" is number; metadata values must be strings/);
      assert.match(refusalOf(() => validateRunMetadata({ flag: null })).message, /"flag" is null/);
    });
  });

  describe('parseRunMetadata', () => {
    it('parses key=value pairs separated by commas, trimming around them', () => {
      assert.deepEqual(parseRunMetadata(' source = vscode ,ticket=OPS-12'), { source: 'vscode', ticket: 'OPS-12' });
    });

    it('gives {} for empty text', () => {
      assert.deepEqual(parseRunMetadata('   '), {});
    });

    it('keeps an unescaped "=" inside a value', () => {
      assert.deepEqual(parseRunMetadata('query=a=b'), { query: 'a=b' });
    });

    it('reads \\, as a comma, \\= as an equals sign and \\\\ as a backslash', () => {
      assert.deepEqual(parseRunMetadata('note=one\\, two, path=C:\\\\tmp, a\\=b=c'), { note: 'one, two', path: 'C:\\tmp', 'a=b': 'c' });
    });

    it('refuses an entry without "=" and says how to write it', () => {
      assert.match(refusalOf(() => parseRunMetadata('source=vscode, oops')).message, /"oops" has no "="; write it as key=value/);
    });

    it('refuses an empty entry, an empty key and a repeated key', () => {
      assert.match(refusalOf(() => parseRunMetadata('a=1,,b=2')).message, /empty entry/);
      assert.match(refusalOf(() => parseRunMetadata('a=1,')).message, /empty entry/);
      assert.match(refusalOf(() => parseRunMetadata('=1')).message, /no key/);
      assert.match(refusalOf(() => parseRunMetadata('a=1, a=2')).message, /"a" appears more than once/);
    });

    it('applies the metadata limits to what was typed', () => {
      assert.match(refusalOf(() => parseRunMetadata(`k=${'v'.repeat(256)}`)).message, /at most 255/);
    });

    it('round-trips through formatRunMetadata, escapes included', () => {
      const meta = { note: 'one, two', 'a=b': 'C:\\tmp', plain: 'x' };
      assert.equal(formatRunMetadata(meta), 'note=one\\, two, a\\=b=C:\\\\tmp, plain=x');
      assert.deepEqual(parseRunMetadata(formatRunMetadata(meta)), meta);
    });
  });
});
