import * as assert from 'node:assert/strict';
import { checkCapabilities, REQUIRED_CAPABILITIES } from '../../../../src/core/access/requiredCapabilities';

const all = { all: {} };
const grant = (acl: string, actions: string[], scope: Record<string, unknown> = all, projects?: string[]) => ({
  [acl]: { actions, scope },
  ...(projects ? { projectScope: { projects } } : { projectScope: { allProjects: {} } }),
});

describe('required capabilities', () => {
  it('finds nothing missing when every needed action is granted in the project', () => {
    const r = checkCapabilities({
      projects: [{ projectUrlName: 'p' }],
      capabilities: [
        grant('workflowOrchestrationAcl', ['READ', 'WRITE'], all, ['p']),
        grant('sessionsAcl', ['CREATE']),
        grant('functionsAcl', ['READ', 'WRITE', 'RUN']),
        grant('filesAcl', ['READ', 'WRITE']),
      ],
    }, 'p');
    assert.equal(r.projectAccess, true);
    assert.deepEqual(r.missing, []);
    assert.deepEqual(r.limited, []);
  });

  it('names what is missing and ignores grants scoped to another project', () => {
    const r = checkCapabilities({
      projects: [{ projectUrlName: 'p' }],
      capabilities: [grant('workflowOrchestrationAcl', ['READ', 'WRITE'], all, ['other']), grant('sessionsAcl', ['CREATE'])],
    }, 'p');
    const names = r.missing.map(m => `${m.acl}:${m.action}`);
    assert.ok(names.includes('workflowOrchestrationAcl:READ'));
    assert.ok(names.includes('functionsAcl:WRITE'));
    assert.ok(!names.includes('sessionsAcl:CREATE'));
    assert.equal(r.missing.length, REQUIRED_CAPABILITIES.length - 1);
  });

  it('reports data-set scoped grants as limited, not missing', () => {
    const r = checkCapabilities({
      projects: [{ projectUrlName: 'p' }],
      capabilities: [grant('workflowOrchestrationAcl', ['READ'], { datasetScope: { ids: [1] } })],
    }, 'p');
    assert.deepEqual(r.limited.map(m => m.action), ['READ']);
  });

  it('says when the token has no access to the project', () => {
    assert.equal(checkCapabilities({ projects: [{ projectUrlName: 'x' }], capabilities: [] }, 'p').projectAccess, false);
  });
});
