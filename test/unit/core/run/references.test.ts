import * as assert from 'node:assert/strict';
import { addMissingKeys, missingInputReferences } from '../../../../src/core/run';
import { definition, functionTask, inlineSubworkflow } from '../definition/builders';

describe('core/run missingInputReferences', () => {
  it('reports a whole-string ${workflow.input.<key>} the input lacks, with the task using it', () => {
    const def = definition(functionTask('load', { runDate: '${workflow.input.runDate}', site: '${workflow.input.site}' }));
    assert.deepEqual(missingInputReferences(def, { site: 'oslo' }), [{ path: 'runDate', segments: ['runDate'], taskExternalId: 'load', taskExternalIds: ['load'] }]);
  });

  it('finds references nested in objects and lists', () => {
    const def = definition(functionTask('load', { options: { filters: [{ id: '${workflow.input.filter.id}' }] } }));
    assert.deepEqual(
      missingInputReferences(def, { filter: {} }).map((m) => m.path),
      ['filter.id'],
    );
    assert.deepEqual(missingInputReferences(def, { filter: { id: 7 } }), []);
  });

  it('finds references inside inline subworkflow tasks', () => {
    const def = definition(inlineSubworkflow('batch', [functionTask('inner', { day: '${workflow.input.day}' })]));
    assert.deepEqual(missingInputReferences(def, {}), [{ path: 'day', segments: ['day'], taskExternalId: 'inner', taskExternalIds: ['inner'] }]);
  });

  it('reports each path once with every task that uses it', () => {
    const def = definition(
      functionTask('a', { d: '${workflow.input.day}' }),
      functionTask('b', { d: '${workflow.input.day}', again: '${workflow.input.day}' }, { after: ['a'] }),
    );
    assert.deepEqual(missingInputReferences(def, {}), [{ path: 'day', segments: ['day'], taskExternalId: 'a', taskExternalIds: ['a', 'b'] }]);
  });

  it('needs nothing for ${workflow.input} alone', () => {
    const def = definition(functionTask('a', '${workflow.input}'), functionTask('b', { all: '${workflow.input}' }));
    assert.deepEqual(missingInputReferences(def, {}), []);
  });

  it('counts a key whose value is null as present', () => {
    const def = definition(functionTask('a', { d: '${workflow.input.day}' }));
    assert.deepEqual(missingInputReferences(def, { day: null }), []);
  });

  it('indexes into lists with numeric segments', () => {
    const def = definition(functionTask('a', { first: '${workflow.input.sites.0.id}' }));
    assert.deepEqual(missingInputReferences(def, { sites: [{ id: 1 }] }), []);
    assert.deepEqual(missingInputReferences(def, { sites: [] }).map((m) => m.path), ['sites.0.id']);
  });

  it('ignores references inside longer strings and references to task outputs', () => {
    const def = definition(
      functionTask('a'),
      functionTask('b', { label: 'day-${workflow.input.day}', prev: '${a.output.response}' }, { after: ['a'] }),
    );
    assert.deepEqual(missingInputReferences(def, {}), []);
  });

  it('does not treat inherited properties as present', () => {
    const def = definition(functionTask('a', { d: '${workflow.input.toString}' }));
    assert.deepEqual(missingInputReferences(def, {}).map((m) => m.path), ['toString']);
  });

  describe('addMissingKeys', () => {
    const def = definition(functionTask('load', { runDate: '${workflow.input.runDate}', id: '${workflow.input.site.id}' }));

    it('adds each missing key with null, nested ones inside the objects they need, keeping the rest of the text', () => {
      const text = '{\n  // the site to load\n  "dryRun": true\n}\n';
      const result = addMissingKeys(text, missingInputReferences(def, { dryRun: true }));
      assert.deepEqual(result.added, ['runDate', 'site.id']);
      assert.deepEqual(result.skipped, []);
      assert.ok(result.text.includes('// the site to load'), 'comments stay');
      const parsed = JSON.parse(result.text.replace(/\/\/.*\n/, '')) as Record<string, unknown>;
      assert.deepEqual(parsed, { dryRun: true, runDate: null, site: { id: null } });
      assert.equal(result.text.slice(result.first!.offset, result.first!.offset + result.first!.length), 'null');
      // What was added is no longer missing.
      assert.deepEqual(missingInputReferences(def, parsed), []);
    });

    it('adds under an object that is there, and skips a path through a value or a list index', () => {
      const withSite = addMissingKeys('{"site": {"name": "oslo"}}', missingInputReferences(def, { site: { name: 'oslo' } }));
      assert.deepEqual(JSON.parse(withSite.text), { site: { name: 'oslo', id: null }, runDate: null });
      const blocked = addMissingKeys('{"site": "oslo", "runDate": "x"}', missingInputReferences(def, { site: 'oslo', runDate: 'x' }));
      assert.deepEqual(blocked.added, []);
      assert.deepEqual(blocked.skipped, ['site.id']);
      assert.equal(blocked.text, '{"site": "oslo", "runDate": "x"}');
      const list = definition(functionTask('a', { first: '${workflow.input.sites.0}' }));
      assert.deepEqual(addMissingKeys('{}', missingInputReferences(list, {})).skipped, ['sites.0']);
    });

    it('keeps CRLF line ends', () => {
      const result = addMissingKeys('{\r\n  "a": 1\r\n}', missingInputReferences(def, { a: 1, site: { id: 1 } }));
      assert.ok(!/[^\r]\n/.test(result.text), result.text);
    });
  });
});
