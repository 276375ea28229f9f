// The demo seed: a handful of realistic workflows, deployed functions, a schedule, triggers and a few days
// of execution history in every status, so the tree looks real on first start.
import { type Clock } from './clock';
import { normalizeDefinition } from './definition';
import {
  BUILD_REPORT,
  CHECK_TIMESERIES_GAPS,
  CONTEXTUALIZE_ASSETS,
  PLAN_BATCHES,
  REQUEST_APPROVAL,
  TRIGGER_WORKFLOW,
} from './demo-functions';
import { type ExecutionEngine } from './engine';
import { zipOf } from './function-runner';
import { newInternalId, newSecretToken, newUuid } from './ids';
import { type Principal } from './identity';
import { definedFields, type ExecutionRecord, type FileRecord, type FunctionRecord, type TaskExecutionRecord, type TriggerRun, type WorkflowStatus } from './model';
import { describeCron } from './scheduler';
import { type SessionService } from './sessions';
import { type Store, versionKey } from './store';
import { type TransformationSimulator } from './transformations';

export interface DemoSeedDeps {
  store: Store;
  clock: Clock;
  sessions: SessionService;
  engine: ExecutionEngine;
  transformations: TransformationSimulator;
  /** The default client: the demo's sessions run as it and the trigger function uses its credentials. */
  client: { clientId: string; clientSecret: string; principal: Principal };
  project: string;
  baseUrl: string;
  tokenUrl: string;
}

const INGESTION_DATA_SET = 4417259930521184;
const QUALITY_DATA_SET = 7781203940026615;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A small deterministic generator so the demo looks the same on every start. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 0x1_0000_0000;
  };
}

const transformation = (externalId: string, tr: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  externalId,
  type: 'transformation',
  parameters: { transformation: { externalId: tr, concurrencyPolicy: 'waitForCurrent' } },
  ...extra,
});

const WORKFLOWS: {
  externalId: string;
  description: string;
  dataSetId?: number;
  maxConcurrentExecutions?: number;
  versions: { version: string; description: string; tasks: Record<string, unknown>[] }[];
}[] = [
  {
    externalId: 'daily-asset-sync',
    description: 'Extracts SAP assets, matches them to sites and refreshes the asset hierarchy every morning',
    dataSetId: INGESTION_DATA_SET,
    maxConcurrentExecutions: 1,
    versions: [
      {
        version: '1',
        description: 'Extract and rebuild the hierarchy',
        tasks: [
          transformation('extract-sources', 'tr-extract-sap-assets', { name: 'Extract SAP assets', timeout: 1800 }),
          transformation('refresh-asset-hierarchy', 'tr-asset-hierarchy', { name: 'Refresh asset hierarchy', dependsOn: [{ externalId: 'extract-sources' }] }),
        ],
      },
      {
        version: '2',
        description: 'Adds site configuration and contextualization before the hierarchy refresh',
        tasks: [
          transformation('extract-sources', 'tr-extract-sap-assets', { name: 'Extract SAP assets', timeout: 1800 }),
          {
            externalId: 'load-site-config',
            type: 'cdf',
            name: 'Load site configuration',
            parameters: { cdfRequest: { resourcePath: '/files/list', method: 'POST', body: { filter: { externalIdPrefix: 'site-config/' }, limit: 100 } } },
            retries: 2,
            timeout: 300,
          },
          {
            externalId: 'contextualize-assets',
            type: 'function',
            name: 'Contextualize assets',
            parameters: {
              function: {
                externalId: 'fn-contextualize-assets',
                data: { sites: '${load-site-config.output.response.items}', runDate: '${workflow.input.runDate}' },
              },
            },
            timeout: 900,
            dependsOn: [{ externalId: 'extract-sources' }, { externalId: 'load-site-config' }],
          },
          transformation('refresh-asset-hierarchy', 'tr-asset-hierarchy', { name: 'Refresh asset hierarchy', dependsOn: [{ externalId: 'contextualize-assets' }] }),
        ],
      },
    ],
  },
  {
    externalId: 'site-batch-processing',
    description: 'Plans one batch per site and processes the sites in parallel with a dynamic task',
    dataSetId: INGESTION_DATA_SET,
    versions: [
      {
        version: '1',
        description: 'Plan, fan out per site, then aggregate',
        tasks: [
          {
            externalId: 'plan-batches',
            type: 'function',
            name: 'Plan site batches',
            parameters: { function: { externalId: 'fn-plan-batches', data: { sites: '${workflow.input.sites}' } } },
            timeout: 600,
          },
          {
            externalId: 'process-sites',
            type: 'dynamic',
            name: 'Process each site',
            parameters: { dynamic: { tasks: '${plan-batches.output.response.tasks}' } },
            dependsOn: [{ externalId: 'plan-batches' }],
            onFailure: 'skipTask',
          },
          transformation('aggregate-production', 'tr-aggregate-production', { name: 'Aggregate production', dependsOn: [{ externalId: 'process-sites' }] }),
        ],
      },
    ],
  },
  {
    externalId: 'timeseries-quality-check',
    description: 'Flags time series with data gaps; fails when gaps are found',
    dataSetId: QUALITY_DATA_SET,
    versions: [
      {
        version: '3',
        description: 'Gap check with a 6 hour window',
        tasks: [
          transformation('refresh-staging', 'tr-refresh-ts-staging', { name: 'Refresh staging tables' }),
          {
            externalId: 'check-gaps',
            type: 'function',
            name: 'Check for gaps',
            parameters: { function: { externalId: 'fn-check-timeseries-gaps', data: { maxGapHours: 6 } } },
            retries: 1,
            timeout: 600,
            dependsOn: [{ externalId: 'refresh-staging' }],
          },
          transformation('publish-quality-kpis', 'tr-publish-quality-kpis', { name: 'Publish quality KPIs', dependsOn: [{ externalId: 'check-gaps' }] }),
        ],
      },
    ],
  },
  {
    externalId: 'monthly-reprocessing',
    description: 'Reprocesses the last month of sensor data and rebuilds aggregates (runs for several minutes)',
    versions: [
      {
        version: '1',
        description: 'Full reprocessing',
        tasks: [
          transformation('reprocess-history', 'tr-reprocess-history', { name: 'Reprocess sensor history', timeout: 7200, retries: 0 }),
          transformation('rebuild-aggregates', 'tr-rebuild-aggregates', { name: 'Rebuild aggregates', timeout: 3600, dependsOn: [{ externalId: 'reprocess-history' }] }),
        ],
      },
    ],
  },
  {
    externalId: 'publish-results',
    description: 'Publishes reports to downstream consumers; used as a subworkflow',
    versions: [
      {
        version: '1',
        description: 'Portal publish and listing',
        tasks: [
          transformation('publish-portal', 'tr-publish-portal', { name: 'Publish to portal' }),
          {
            externalId: 'list-published-reports',
            type: 'cdf',
            name: 'List published reports',
            parameters: { cdfRequest: { resourcePath: '/files/list', method: 'POST', body: { filter: { externalIdPrefix: 'reports/' }, limit: 10 } } },
            dependsOn: [{ externalId: 'publish-portal' }],
          },
        ],
      },
    ],
  },
  {
    externalId: 'daily-report',
    description: 'Builds the daily production report, publishes it through the publish-results subworkflow and archives it',
    versions: [
      {
        version: '1',
        description: 'Report, publish (subworkflow), archive (inline subworkflow)',
        tasks: [
          {
            externalId: 'build-report',
            type: 'function',
            name: 'Build report',
            parameters: { function: { externalId: 'fn-build-report', data: { reportDate: '${workflow.input.reportDate}' } } },
          },
          {
            externalId: 'publish',
            type: 'subworkflow',
            name: 'Publish results',
            parameters: { subworkflow: { workflowExternalId: 'publish-results', version: '1' } },
            dependsOn: [{ externalId: 'build-report' }],
          },
          {
            externalId: 'archive',
            type: 'subworkflow',
            name: 'Archive',
            parameters: {
              subworkflow: {
                tasks: [
                  transformation('archive-raw', 'tr-archive-raw', { name: 'Archive raw data' }),
                  transformation('archive-report', 'tr-archive-report', { name: 'Archive report', dependsOn: [{ externalId: 'archive-raw' }] }),
                ],
              },
            },
            dependsOn: [{ externalId: 'build-report' }],
          },
        ],
      },
    ],
  },
  {
    externalId: 'release-approval',
    description: 'Waits for a manual approval (an async function task) before releasing the forecast model',
    versions: [
      {
        version: '1',
        description: 'Approval gate, then release',
        tasks: [
          {
            externalId: 'request-approval',
            type: 'function',
            name: 'Request approval',
            parameters: { function: { externalId: 'fn-request-approval', data: { channel: 'ops-approvals' } }, isAsyncComplete: true },
            retries: 0,
            timeout: 43200,
          },
          transformation('release-model', 'tr-release-model', { name: 'Release forecast model', dependsOn: [{ externalId: 'request-approval' }] }),
        ],
      },
    ],
  },
];

const TRANSFORMATION_DURATIONS: Record<string, number> = {
  'tr-extract-sap-assets': 8000,
  'tr-asset-hierarchy': 6000,
  'tr-aggregate-production': 4000,
  'tr-process-oslo': 5000,
  'tr-process-bergen': 7000,
  'tr-process-stavanger': 6000,
  'tr-refresh-ts-staging': 3000,
  'tr-publish-quality-kpis': 2000,
  'tr-reprocess-history': 4 * MINUTE,
  'tr-rebuild-aggregates': 2 * MINUTE,
  'tr-publish-portal': 3000,
  'tr-archive-raw': 2000,
  'tr-archive-report': 2000,
  'tr-release-model': 5000,
};

/** Executions per workflow in the history: how many, how far apart, how long they run, and what fails. */
const HISTORY: Record<string, { count: number; everyMs: number; durationMs: number; version: string; statuses: WorkflowStatus[]; failure?: string }> = {
  'daily-asset-sync': {
    count: 8,
    everyMs: DAY,
    durationMs: 52_000,
    version: '2',
    statuses: ['COMPLETED', 'COMPLETED', 'COMPLETED', 'FAILED', 'COMPLETED', 'COMPLETED', 'TERMINATED', 'COMPLETED'],
    failure: 'Task contextualize-assets failed: Function call 4471902365518203 failed: TimeoutError: SAP gateway did not answer within 30 s',
  },
  'site-batch-processing': {
    count: 36,
    everyMs: 4 * HOUR,
    durationMs: 31_000,
    version: '1',
    statuses: ['COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED', 'FAILED'],
    failure: 'Task plan-batches failed: Function call 5582013476629314 failed: KeyError: \'bergen\'',
  },
  'timeseries-quality-check': {
    count: 48,
    everyMs: 3 * HOUR,
    durationMs: 11_000,
    version: '3',
    statuses: ['COMPLETED', 'FAILED', 'COMPLETED', 'COMPLETED', 'FAILED', 'COMPLETED'],
    failure:
      'Task check-gaps failed: Function call 6693124587730425 failed: ValueError: 3 time series have gaps longer than 6 hours: pump-17:discharge_pressure, compressor-3:vibration_rms, well-B12:choke_opening',
  },
  'monthly-reprocessing': { count: 3, everyMs: 2 * DAY, durationMs: 6 * MINUTE + 40_000, version: '1', statuses: ['COMPLETED', 'TIMED_OUT', 'TERMINATED'] },
  'daily-report': { count: 7, everyMs: DAY, durationMs: 24_000, version: '1', statuses: ['COMPLETED', 'COMPLETED', 'FAILED', 'COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED'], failure: 'Task publish failed: Task publish-portal failed: Transformation job 90817 failed: Portal API returned 503' },
  'release-approval': { count: 4, everyMs: 2 * DAY, durationMs: 3 * HOUR, version: '1', statuses: ['COMPLETED', 'TERMINATED', 'COMPLETED', 'COMPLETED'] },
};

// The metadata keys the extension reads to say what started a run (src/core/run/origin.ts; the sandbox
// does not import core, so they are spelled here): a trigger, a function schedule, a run from VS Code.
const TRIGGER_KEY = 'cdf-workflows:trigger';
const SCHEDULE_KEY = 'cdf-workflows:schedule';
const RUN_ID_KEY = 'cdf-workflows-run-id';

/**
 * What started a seeded run, as its metadata says: daily-asset-sync runs on its schedule trigger (its
 * history lists them), every third daily-report on the function schedule, the rest from VS Code.
 */
function originOf(workflow: string, i: number): Record<string, string> {
  if (workflow === 'daily-asset-sync') return { owner: 'data-platform', [TRIGGER_KEY]: 'daily-asset-sync-0530' };
  if (workflow === 'daily-report' && i % 3 === 0) return { [SCHEDULE_KEY]: 'daily-report 06:15 UTC' };
  return { [RUN_ID_KEY]: newUuid() };
}

export function seedDemo(d: DemoSeedDeps): void {
  const { store, clock } = d;
  const now = clock.now();
  const rnd = random(20260101);
  const created = now - 14 * DAY;

  for (const [tr, ms] of Object.entries(TRANSFORMATION_DURATIONS)) d.transformations.script(tr, { durationMs: ms });

  // The data sets the demo workflows are in, with the external ids a Toolkit module would name them by.
  for (const [id, externalId, name] of [
    [INGESTION_DATA_SET, 'ds_ingestion', 'Ingestion'],
    [QUALITY_DATA_SET, 'ds_quality', 'Data quality'],
  ] as const) {
    store.dataSets.set(id, { id, externalId, name, writeProtected: false, createdTime: created, lastUpdatedTime: created });
  }

  // Workflows and versions.
  for (const w of WORKFLOWS) {
    store.workflows.set(w.externalId, {
      externalId: w.externalId,
      description: w.description,
      createdTime: created,
      lastUpdatedTime: created + DAY,
      ...definedFields({ dataSetId: w.dataSetId, maxConcurrentExecutions: w.maxConcurrentExecutions }),
    });
    w.versions.forEach((v, i) => {
      store.versions.set(versionKey(w.externalId, v.version), {
        workflowExternalId: w.externalId,
        version: v.version,
        workflowDefinition: normalizeDefinition({ description: v.description, tasks: v.tasks }, ['workflowDefinition']),
        createdTime: created + (i + 1) * HOUR,
        lastUpdatedTime: created + (i + 1) * HOUR,
      });
    });
  }

  // Files: site configuration read by the cdf task, and the functions' code.
  const addFile = (externalId: string, name: string, mimeType: string, bytes: Uint8Array, at: number, extra: Partial<FileRecord> = {}): FileRecord => {
    const f: FileRecord = {
      id: newInternalId(),
      externalId,
      name,
      mimeType,
      uploaded: true,
      uploadedTime: at,
      createdTime: at,
      lastUpdatedTime: at,
      uploadKey: newSecretToken(18),
      size: bytes.length,
      ...extra,
    };
    store.files.set(f.id, f);
    store.fileContents.set(f.id, Buffer.from(bytes));
    return f;
  };
  for (const [site, lat] of [
    ['oslo', 59.91],
    ['bergen', 60.39],
    ['stavanger', 58.97],
  ] as const) {
    addFile(`site-config/${site}.json`, `${site}.json`, 'application/json', Buffer.from(JSON.stringify({ site, latitude: lat, enabled: true })), created, {
      dataSetId: INGESTION_DATA_SET,
      metadata: { site },
    });
  }
  addFile('reports/daily-report-latest.pdf', 'daily-report-latest.pdf', 'application/pdf', Buffer.from('%PDF-1.4 sandbox report'), now - 6 * HOUR);

  const functions: Record<string, FunctionRecord> = {};
  const addFunction = (externalId: string, name: string, description: string, code: string, extra: Partial<FunctionRecord> = {}): FunctionRecord => {
    const at = created + 2 * HOUR;
    const file = addFile(externalId, `${externalId}.zip`, 'application/zip', zipOf({ 'handler.py': code.trimStart() }), at, { metadata: { purpose: 'function-code' } });
    const fn: FunctionRecord = {
      id: newInternalId(),
      name,
      externalId,
      description,
      owner: 'data-platform@example.com',
      fileId: file.id,
      functionPath: 'handler.py',
      cpu: 1,
      memory: 1.5,
      runtime: 'py311',
      runtimeVersion: 'Python 3.11.11',
      status: 'Ready',
      createdTime: at,
      metadata: { team: 'data-platform' },
      ...extra,
    };
    store.functions.set(fn.id, fn);
    functions[externalId] = fn;
    return fn;
  };
  addFunction('fn-contextualize-assets', 'Contextualize assets', 'Matches source assets to the site hierarchy', CONTEXTUALIZE_ASSETS);
  addFunction('fn-plan-batches', 'Plan site batches', 'Returns one processing task per site for a dynamic task', PLAN_BATCHES);
  addFunction('fn-check-timeseries-gaps', 'Check time series gaps', 'Fails when monitored time series have long gaps', CHECK_TIMESERIES_GAPS);
  addFunction('fn-request-approval', 'Request approval', 'Posts an approval request and leaves the task waiting', REQUEST_APPROVAL);
  addFunction('fn-build-report', 'Build daily report', 'Builds the daily production report', BUILD_REPORT);
  const triggerFn = addFunction('wf-trigger-daily-report', 'Trigger daily-report', 'Starts daily-report version 1 on a schedule (made by the schedule wizard)', TRIGGER_WORKFLOW, {
    secrets: { 'client-id': d.client.clientId, 'client-secret': d.client.clientSecret },
    envVars: { IDP_TOKEN_URL: d.tokenUrl, CDF_PROJECT: d.project, CDF_URL: d.baseUrl, IDP_SCOPES: `${d.baseUrl}/.default` },
    metadata: { 'cdf-workflows:workflow': 'daily-report', 'cdf-workflows:version': '1' },
  });

  // A function schedule and workflow triggers, each with its own session.
  const session = (): number => d.sessions.create('CLIENT_CREDENTIALS', d.client.principal, d.client.clientId).session.id;
  const scheduleCron = '15 6 * * *';
  const scheduleId = newInternalId();
  store.schedules.set(scheduleId, {
    id: scheduleId,
    name: 'daily-report 06:15 UTC',
    description: 'Runs daily-report version 1 every morning',
    cronExpression: scheduleCron,
    when: describeCron(scheduleCron),
    functionId: triggerFn.id,
    functionExternalId: triggerFn.externalId!,
    createdTime: created + 3 * HOUR,
    sessionId: session(),
    // As the schedule wizard writes it: the schedule's name rides along as run metadata.
    data: { workflowExternalId: 'daily-report', version: '1', input: { reportDate: 'today' }, metadata: { [SCHEDULE_KEY]: 'daily-report 06:15 UTC' } },
  });

  // History: finished executions spread over the last days, newest first in lists.
  const byWorkflow: Record<string, ExecutionRecord[]> = {};
  for (const [xid, h] of Object.entries(HISTORY)) {
    const version = store.versions.get(versionKey(xid, h.version))!;
    const list: ExecutionRecord[] = [];
    for (let i = 0; i < h.count; i++) {
      const createdTime = Math.round(now - (i + 1) * h.everyMs - rnd() * 0.1 * h.everyMs);
      const status = h.statuses[i % h.statuses.length];
      const duration = Math.round(h.durationMs * (0.8 + rnd() * 0.4));
      const e: ExecutionRecord = {
        id: newUuid(),
        workflowExternalId: xid,
        version: h.version,
        status,
        engineExecutionId: newUuid(),
        createdTime,
        startTime: createdTime + 40 + Math.round(rnd() * 200),
        endTime: createdTime + duration,
        metadata: originOf(xid, i),
        input: xid === 'daily-asset-sync' ? { runDate: new Date(createdTime).toISOString().slice(0, 10), dryRun: false } : {},
        workflowDefinition: version.workflowDefinition,
        executedTasks: [],
        seq: store.allocateSeq(),
        synthetic: true,
        ...definedFields({ dataSetId: store.workflows.get(xid)?.dataSetId }),
      };
      if (status === 'FAILED') e.reasonForIncompletion = h.failure ?? 'A task failed.';
      if (status === 'TERMINATED') e.reasonForIncompletion = 'Superseded by a manual re-run';
      if (status === 'TIMED_OUT') e.reasonForIncompletion = 'The execution exceeded the maximum duration of 24 hours.';
      list.push(e);
    }
    byWorkflow[xid] = list;
    store.addExecutions(list);
  }

  // Triggers: a daily schedule with history, a paused hourly one, and a data modeling trigger.
  const dailyRuns: TriggerRun[] = (byWorkflow['daily-asset-sync'] ?? []).map((e) => ({
    externalId: 'daily-asset-sync-0530',
    fireTime: e.createdTime - 40,
    workflowExternalId: 'daily-asset-sync',
    workflowVersion: '2',
    workflowExecutionId: e.id,
    status: 'success',
    reasonForFailure: null,
  }));
  dailyRuns.splice(3, 0, {
    externalId: 'daily-asset-sync-0530',
    fireTime: (dailyRuns[2]?.fireTime ?? now) - DAY,
    workflowExternalId: 'daily-asset-sync',
    workflowVersion: '2',
    workflowExecutionId: null,
    status: 'failed',
    reasonForFailure: 'Maximum number of concurrent executions reached for workflow daily-asset-sync',
  });
  store.triggers.set('daily-asset-sync-0530', {
    externalId: 'daily-asset-sync-0530',
    triggerRule: { triggerType: 'schedule', cronExpression: '30 5 * * *', timezone: 'Europe/Oslo' },
    workflowExternalId: 'daily-asset-sync',
    workflowVersion: '2',
    input: { dryRun: false },
    metadata: { owner: 'data-platform', [TRIGGER_KEY]: 'daily-asset-sync-0530' },
    isPaused: false,
    createdTime: created + 4 * HOUR,
    lastUpdatedTime: created + 4 * HOUR,
    sessionId: session(),
    history: dailyRuns.sort((a, b) => b.fireTime - a.fireTime),
  });
  store.triggers.set('timeseries-quality-hourly', {
    externalId: 'timeseries-quality-hourly',
    triggerRule: { triggerType: 'schedule', cronExpression: '0 * * * *', timezone: 'UTC' },
    workflowExternalId: 'timeseries-quality-check',
    workflowVersion: '3',
    input: {},
    metadata: {},
    isPaused: true,
    createdTime: created + 5 * HOUR,
    lastUpdatedTime: now - 2 * DAY,
    sessionId: session(),
    history: [],
  });
  store.triggers.set('on-new-site-config', {
    externalId: 'on-new-site-config',
    triggerRule: {
      triggerType: 'dataModeling',
      dataModelingQuery: {
        with: { sites: { nodes: { filter: { hasData: [{ type: 'view', space: 'plant', externalId: 'Site', version: 'v1' }] } }, limit: 100 } },
        select: { sites: { sources: [{ source: { type: 'view', space: 'plant', externalId: 'Site', version: 'v1' }, properties: ['name', 'region'] }] } },
      },
      batchSize: 100,
      batchTimeout: 300,
    },
    workflowExternalId: 'site-batch-processing',
    workflowVersion: '1',
    input: {},
    metadata: {},
    isPaused: false,
    createdTime: created + 6 * HOUR,
    lastUpdatedTime: created + 6 * HOUR,
    sessionId: session(),
    history: [],
  });

  // Live executions: a reprocessing run that takes minutes, and a release waiting for approval.
  seedWaitingApproval(d, functions['fn-request-approval'], session(), now);
  // The engine adopts the crafted execution (arms its timeout), then starts the long run for real.
  d.engine.resume();
  const reprocessing = store.versions.get(versionKey('monthly-reprocessing', '1'))!;
  d.engine.run(store.workflows.get('monthly-reprocessing')!, reprocessing, { sessionId: session(), metadata: { [RUN_ID_KEY]: newUuid() } });
}

/** A release-approval execution whose async task already called its function and now waits for an update. */
function seedWaitingApproval(d: DemoSeedDeps, fn: FunctionRecord, sessionId: number, now: number): void {
  const { store } = d;
  const version = store.versions.get(versionKey('release-approval', '1'))!;
  const def = version.workflowDefinition.tasks[0];
  const startTime = now - 25 * MINUTE;
  const taskId = newUuid();
  const callId = newInternalId();
  store.calls.set(callId, {
    id: callId,
    functionId: fn.id,
    status: 'Completed',
    startTime: startTime + 200,
    endTime: startTime + 2600,
    response: { approvalRequestId: `APR-${taskId.slice(0, 8).toUpperCase()}`, channel: 'ops-approvals' },
    logs: [{ timestamp: startTime + 900, message: `Approval requested in #ops-approvals for task ${taskId}` }],
  });
  fn.lastCalled = startTime + 200;
  const data = { channel: 'ops-approvals', cogniteOrchestrationTaskId: taskId };
  const task: TaskExecutionRecord = {
    id: taskId,
    externalId: def.externalId,
    status: 'IN_PROGRESS',
    taskType: 'function',
    startTime: startTime + 100,
    input: { function: { externalId: 'fn-request-approval', data }, isAsyncComplete: true },
    output: { callId, functionId: fn.id, response: { approvalRequestId: `APR-${taskId.slice(0, 8).toUpperCase()}`, channel: 'ops-approvals' } },
    engine: { definition: def, attempts: 1, maxAttempts: def.retries + 1, awaitingUpdate: true },
  };
  const e: ExecutionRecord = {
    id: newUuid(),
    workflowExternalId: 'release-approval',
    version: '1',
    status: 'RUNNING',
    engineExecutionId: newUuid(),
    createdTime: startTime,
    startTime: startTime + 50,
    metadata: { [RUN_ID_KEY]: newUuid(), ticket: 'OPS-1234' },
    input: { model: 'production-forecast', modelVersion: '2026.1' },
    workflowDefinition: version.workflowDefinition,
    executedTasks: [task],
    sessionId,
    seq: store.allocateSeq(),
  };
  store.addExecution(e);
}
