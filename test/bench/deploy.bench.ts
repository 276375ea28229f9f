// Deploy benchmark (npm run bench:deploy): the requests Deploy Definition and Compare with Deployed make
// against the sandbox, counted from its request log, against budgets that allow no extra read: a new
// workflow and version, an unchanged file, a changed version (with its executions counted for the
// overwrite guard) and a Toolkit workflow file naming its data set. Also the time to plan a deploy of a
// 100-task version and to patch its file for the diff. Exits 1 when a count or a median is over budget.
import { performance } from 'node:perf_hooks';
import { createCdfClient } from '../../src/core/client';
import { ClientCredentialsTokenSource } from '../../src/core/auth/clientCredentials';
import { executeDeploy, planDeploy } from '../../src/core/definition/deploy';
import { parseDefinitionDocument } from '../../src/core/definition/document';
import { alignVersion } from '../../src/core/definition/normalize';
import { patchResource } from '../../src/core/definition/patch';
import { renderResource } from '../../src/core/definition/render';
import { startSandbox } from '../../src/sandbox/index';

interface CountResult {
  name: string;
  requests: string[];
  budget: number;
}

function version(workflowExternalId: string, tasks = 2, timeout = 3600): Record<string, unknown> {
  return {
    workflowExternalId,
    version: '1',
    workflowDefinition: {
      description: 'Benchmark',
      tasks: Array.from({ length: tasks }, (_, i) => ({
        externalId: `t${i}`,
        type: 'function',
        parameters: { function: { externalId: `fn-${i}`, data: { day: '${workflow.input.day}' } } },
        ...(i > 0 ? { dependsOn: [{ externalId: `t${i - 1}` }] } : {}),
        ...(i === tasks - 1 ? { timeout } : {}),
      })),
    },
  };
}

async function main(): Promise<number> {
  const sb = await startSandbox({ quiet: true, seed: 'demo' });
  const client = createCdfClient({
    baseUrl: sb.baseUrl,
    project: sb.project,
    appVersion: 'bench',
    tokenSource: new ClientCredentialsTokenSource({ tokenUrl: sb.tokenUrl, clientId: sb.clientId, clientSecret: sb.clientSecret, baseUrl: sb.baseUrl }),
  });
  const counts: CountResult[] = [];
  const measure = async (name: string, budget: number, work: () => Promise<unknown>): Promise<void> => {
    await client.workflows.list({ limit: 1 }); // the token is cached: what follows is API requests only
    sb.requests.reset();
    await work();
    counts.push({ name, budget, requests: sb.requests.list.filter((r) => !/\/oauth2\//.test(r.path)).map((r) => `${r.method} ${r.path.replace(/^\/api\/v1\/projects\/[^/]+/, '')}`) });
  };
  try {
    await measure('deploy a new workflow and version', 3, async () => executeDeploy(client, await planDeploy(client, { version: version('bench-wf') })));
    await measure('deploy an unchanged file', 2, async () => executeDeploy(client, await planDeploy(client, { version: version('bench-wf') })));
    sb.insertExecutions({ workflowExternalId: 'bench-wf', version: '1', count: 1500 });
    await measure('deploy a changed version (1,500 executions ran on it) and overwrite it', 4, async () => executeDeploy(client, await planDeploy(client, { version: version('bench-wf', 2, 600) })));
    await measure('deploy with a Toolkit workflow file (data set by external id)', 4, async () =>
      executeDeploy(client, await planDeploy(client, { version: version('bench-wf', 2, 600), workflow: { externalId: 'bench-wf', description: 'Bench', dataSetExternalId: 'ds_ingestion' } })),
    );
    await measure('compare with deployed', 1, async () => client.versions.retrieve('bench-wf', '1'));

    // Plan and patch a 100-task version: local work only (the reads are counted above).
    const big = version('bench-big', 100);
    await client.versions.upsert(big as never);
    const answer = await client.versions.retrieve('bench-big', '1');
    const text = renderResource('version', big, 'toolkit');
    const doc = parseDefinitionDocument(text, { fileName: 'bench-big_v1.WorkflowVersion.yaml' });
    const resource = doc?.resources[0];
    if (!doc || !resource) throw new Error('the 100-task file did not parse');
    const samples: number[] = [];
    for (let i = 0; i < 30; i++) {
      const start = performance.now();
      const patched = patchResource(doc, resource, alignVersion(answer, resource.value));
      samples.push(performance.now() - start);
      if (patched !== text) throw new Error('an unchanged 100-task file patched into something else');
    }
    samples.sort((a, b) => a - b);
    const patchMedian = samples[15] ?? 0;

    let failed = 0;
    console.log('deploy requests (against the sandbox; budget = no read or write more than needed)');
    for (const c of counts) {
      const ok = c.requests.length <= c.budget;
      if (!ok) failed++;
      console.log(`  ${ok ? 'ok  ' : 'OVER'} ${c.name}: ${c.requests.length} request${c.requests.length === 1 ? '' : 's'} (budget ${c.budget}): ${c.requests.join(', ')}`);
    }
    const PATCH_BUDGET_MS = 50;
    const patchOk = patchMedian <= PATCH_BUDGET_MS;
    if (!patchOk) failed++;
    console.log(`  ${patchOk ? 'ok  ' : 'OVER'} compare text of a 100-task version (align + patch): ${patchMedian.toFixed(2)} ms median (budget ${PATCH_BUDGET_MS} ms)`);
    return failed > 0 ? 1 : 0;
  } finally {
    await client.close();
    await sb.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
