import assert from 'node:assert/strict';
import { maskCredentialPatterns, Redactor, redactingLogger } from '../../../src/core/redact';
import { CapturingLogger, findLeaks } from './support/secretScan';

describe('core/redact', () => {
  it('masks every known secret wherever it appears, the longest first', () => {
    const r = new Redactor();
    r.add('s3cret-value');
    r.add('s3cret-value-and-more');
    assert.equal(r.redact('a s3cret-value-and-more b s3cret-value c'), 'a *** b *** c');
  });

  it('ignores values too short to be secrets, so ordinary words survive', () => {
    const r = new Redactor();
    r.add('abc');
    r.add('');
    r.add(undefined);
    assert.equal(r.redact('abc def'), 'abc def');
  });

  it('masks bearer headers, JWTs and credential pairs whatever their value', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    assert.equal(maskCredentialPatterns(`Authorization: Bearer abc.def-ghi`), 'Authorization: Bearer ***');
    assert.equal(maskCredentialPatterns(`token ${jwt} end`), 'token *** end');
    assert.equal(maskCredentialPatterns('grant_type=client_credentials&client_secret=xyz&scope=a'), 'grant_type=client_credentials&client_secret=***&scope=a');
    assert.equal(maskCredentialPatterns('{"clientId":"id","clientSecret":"xyz","nonce":"n1"}'), '{"clientId":"id","clientSecret":"***","nonce":"***"}');
  });

  it('wraps a logger so that no level lets a secret through', () => {
    const inner = new CapturingLogger();
    const r = new Redactor();
    r.add('my-client-secret');
    const log = redactingLogger(inner, r);
    log.trace('t my-client-secret');
    log.debug('d my-client-secret');
    log.info('i my-client-secret');
    log.warn('w my-client-secret');
    log.error('e my-client-secret');
    assert.deepEqual(inner.lines.map((l) => l.message), ['t ***', 'd ***', 'i ***', 'w ***', 'e ***']);
  });

  it('the leak scanner finds a secret in a line (so the end-of-run scan can fail)', () => {
    assert.equal(findLeaks(['nothing here', 'oops my-client-secret'], ['my-client-secret']).length, 1);
    assert.deepEqual(findLeaks(['nothing here'], ['my-client-secret']), []);
  });
});
