// The deploy journal and the names the wizard proposes: plain data, no CDF needed.
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import {
  codeFileExternalId,
  configHashKeyId,
  defaultScheduleName,
  defaultTriggerExternalId,
  journalKey,
  MemoryJournalStore,
  ProjectJournal,
  triggerFunctionConfigHash,
} from '../../../../../src/core/schedule/deploy';

const KEY = 'a-random-installation-key-0123456789abcdef';

describe('core/schedule/deploy journal and names', () => {
  const key = journalKey('http://127.0.0.1:1234/', 'demo');

  it('keys journals by cluster and project', () => {
    assert.equal(key, 'http://127.0.0.1:1234|demo');
    assert.notEqual(journalKey('https://westeurope-1.cognitedata.com', 'demo'), journalKey('https://api.cognitedata.com', 'demo'));
  });

  it('keeps one pending entry per schedule name, and removes the key once nothing is owed', async () => {
    const store = new MemoryJournalStore();
    const journal = new ProjectJournal(store, key);
    await journal.addPending([{ name: 'A', cronExpression: '0 1 * * *', data: { version: '1' } }]);
    await journal.addPending([{ name: 'A', cronExpression: '0 2 * * *', data: { version: '2' } }]);
    await journal.addLeftover({ kind: 'session', id: 7 });
    await journal.addLeftover({ kind: 'session', id: 7 });
    const reread = new ProjectJournal(store, key);
    assert.deepEqual(reread.pending, [{ name: 'A', cronExpression: '0 2 * * *', data: { version: '2' } }]);
    assert.deepEqual(reread.leftovers, [{ kind: 'session', id: 7 }]);
    await reread.removePending('A');
    await reread.removeLeftover({ kind: 'session', id: 7 });
    assert.equal(store.get(key), undefined);
  });

  it('drops a journal it cannot read, and says why, instead of blocking every deploy', async () => {
    const store = new MemoryJournalStore();
    await store.set(key, { version: 1, pending: [], leftovers: [{ kind: 'session', id: 1 }] });
    (store as unknown as { entries: Map<string, unknown> }).entries.set(key, { version: 99, pending: 'nope' });
    const problems: string[] = [];
    const journal = new ProjectJournal(store, key, (p) => problems.push(p));
    assert.deepEqual(journal.pending, []);
    assert.equal(problems.length, 1);
    assert.match(problems[0], /version/);
  });

  it('proposes names within the limits CDF sets', () => {
    assert.equal(defaultScheduleName('daily-sync', '3'), 'Scheduled trigger: daily-sync@3');
    assert.equal([...defaultScheduleName('w'.repeat(300), '1')].length, 140);
    assert.equal(defaultTriggerExternalId('daily-sync', '3'), 'daily-sync-3-schedule');
    assert.equal(defaultTriggerExternalId('w'.repeat(300), '12').length, 255);
    assert.ok(defaultTriggerExternalId('w'.repeat(300), '12').endsWith('-12-schedule'));
    const hash = triggerFunctionConfigHash(KEY, 'h', { clientId: 'a', clientSecret: 'b' }, { X: '1' });
    assert.equal(codeFileExternalId('workflow-trigger', hash), `workflow-trigger-${hash.slice(0, 16)}.zip`);
    assert.equal(codeFileExternalId('f'.repeat(300), hash).length, 255);
  });

  it('fingerprints the configuration: any change to secret, client, handler or environment changes it', () => {
    const base = triggerFunctionConfigHash(KEY, 'h1', { clientId: 'a', clientSecret: 'b' }, { X: '1', Y: '2' });
    assert.equal(triggerFunctionConfigHash(KEY, 'h1', { clientId: 'a', clientSecret: 'b' }, { Y: '2', X: '1' }), base, 'order of env vars does not matter');
    for (const other of [
      triggerFunctionConfigHash(KEY, 'h2', { clientId: 'a', clientSecret: 'b' }, { X: '1', Y: '2' }),
      triggerFunctionConfigHash(KEY, 'h1', { clientId: 'c', clientSecret: 'b' }, { X: '1', Y: '2' }),
      triggerFunctionConfigHash(KEY, 'h1', { clientId: 'a', clientSecret: 'b2' }, { X: '1', Y: '2' }),
      triggerFunctionConfigHash(KEY, 'h1', { clientId: 'a', clientSecret: 'b' }, { X: '1', Y: '3' }),
    ]) {
      assert.notEqual(other, base);
    }
  });

  it('keys the fingerprint: without the key it cannot be recomputed to test a guessed secret', () => {
    const credentials = { clientId: 'a', clientSecret: 'guess-me' };
    const env = { X: '1' };
    const hash = triggerFunctionConfigHash(KEY, 'h1', credentials, env);
    assert.equal(hash, createHmac('sha256', KEY).update(JSON.stringify(['cdf-workflows-trigger/2', 'h1', 'a', 'guess-me', [['X', '1']]]), 'utf8').digest('hex'));
    const unkeyed = createHash('sha256').update(JSON.stringify(['cdf-workflows-trigger/1', 'h1', 'a', 'guess-me', [['X', '1']]]), 'utf8').digest('hex');
    assert.notEqual(hash, unkeyed, 'not the plain hash an earlier version wrote');
    assert.notEqual(triggerFunctionConfigHash(`${KEY}-other`, 'h1', credentials, env), hash, 'another key, another fingerprint');
    assert.match(configHashKeyId(KEY), /^[0-9a-f]{16}$/);
    assert.notEqual(configHashKeyId(`${KEY}-other`), configHashKeyId(KEY));
    assert.ok(!hash.includes(configHashKeyId(KEY)) && !configHashKeyId(KEY).includes(KEY.slice(0, 8)));
    assert.throws(() => triggerFunctionConfigHash('short', 'h1', credentials, env), /at least 32 characters/);
  });
});
