// Benchmark of the language-model tools' answers (npm run bench:lm): the big cases against the sandbox over
// real HTTP, each answer's size in characters, in the tokens the tools estimate, and in real tokens of two
// OpenAI encodings (o200k_base: GPT-4o and later; cl100k_base: GPT-4), against the per-call budget (4,000
// tokens); and the time to read and format it. Exits 1 when an answer is over the budget by any count.
import { performance } from 'node:perf_hooks';
import { countTokens as cl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { countTokens as o200k } from 'gpt-tokenizer/encoding/o200k_base';
import { ClientCredentialsTokenSource } from '../../src/core/auth/clientCredentials';
import { createCdfClient } from '../../src/core/client';
import { DEFAULT_TOOL_TOKEN_BUDGET, estimateTokens } from '../../src/core/lm/budget';
import { explainFailureText } from '../../src/core/lm/explain';
import { functionLogsText, getExecutionText, listExecutionsText, listWorkflowsText, type ReadContext } from '../../src/core/lm/read';
import { ManualClock, startSandbox } from '../../src/sandbox/index';
import { addFanOutWorkflow, addQualityWorkflow } from '../extension/support/workflows';

interface Row {
  name: string;
  text: string;
  ms: number;
}

async function measure(name: string, fn: () => Promise<string>): Promise<Row> {
  await fn(); // warm up
  const samples: number[] = [];
  let text = '';
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    text = await fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return { name, text, ms: samples[2] ?? 0 };
}

async function main(): Promise<void> {
  const clock = new ManualClock(Date.now());
  const sb = await startSandbox({ quiet: true, clock, seed: 'demo', limits: { tasksPerExecution: 1000 } });
  const client = createCdfClient({
    baseUrl: sb.baseUrl,
    project: sb.project,
    appVersion: 'bench',
    tokenSource: new ClientCredentialsTokenSource({ tokenUrl: sb.tokenUrl, clientId: sb.clientId, clientSecret: sb.clientSecret, baseUrl: sb.baseUrl }),
  });
  try {
    const lines = addQualityWorkflow(sb);
    addFanOutWorkflow(sb);
    const failed = await client.executions.run('quality', '1', { input: { day: '2026-04-30' } });
    const fanOut = await client.executions.run('fanout', '1', {});
    for (let i = 0; i < 40 && ((await client.executions.retrieve(failed.id)).status === 'RUNNING' || (await client.executions.retrieve(fanOut.id)).status === 'RUNNING'); i++) await clock.advance(5000);
    const ctx = (): ReadContext => ({ client, connection: 'bench', project: sb.project, now: Date.now(), maxTokens: DEFAULT_TOOL_TOKEN_BUDGET });
    const rows = [
      await measure('getExecution, 506-task dynamic fan-out', () => getExecutionText({ executionId: fanOut.id }, ctx())),
      await measure(`getFunctionLogs, ${lines.toLocaleString('en-US')} lines (1 MB)`, () => functionLogsText({ executionId: failed.id }, ctx())),
      await measure('explainFailure, failed function task with 1 MB of logs', () => explainFailureText({ executionId: failed.id }, ctx())),
      await measure('listExecutions, 100 of the demo seed', () => listExecutionsText({ limit: 100 }, ctx())),
      await measure('listWorkflows, the demo seed and two more', () => listWorkflowsText({}, ctx())),
    ];
    let over = false;
    console.log(`budget per answer: ${DEFAULT_TOOL_TOKEN_BUDGET} tokens (estimated; the real counts must stay within it too)`);
    for (const r of rows) {
      const real = { o200k: o200k(r.text), cl100k: cl100k(r.text) };
      const bad = estimateTokens(r.text) > DEFAULT_TOOL_TOKEN_BUDGET || Math.max(real.o200k, real.cl100k) > DEFAULT_TOOL_TOKEN_BUDGET;
      over ||= bad;
      console.log(
        `${bad ? 'OVER ' : 'ok   '} ${r.text.length.toLocaleString('en-US').padStart(7)} chars, ~${String(estimateTokens(r.text)).padStart(4)} est., ` +
          `${String(real.o200k).padStart(4)} o200k, ${String(real.cl100k).padStart(4)} cl100k tokens  ${r.ms.toFixed(1).padStart(6)} ms  ${r.name}`,
      );
    }
    if (over) process.exitCode = 1;
  } finally {
    await client.close();
    await sb.close();
  }
}

main().catch((e: unknown) => {
  console.error(`lm benchmark: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
