// What the API answers for each record: response shapes per the spec, without engine bookkeeping,
// write-only fields or secrets.
import type {
  ExecutionRecord,
  FileRecord,
  FunctionCallRecord,
  FunctionRecord,
  ScheduleRecord,
  SessionRecord,
  TaskDefinition,
  TaskExecutionRecord,
  TriggerRecord,
  VersionRecord,
  WorkflowDefinition,
  WorkflowRecord,
} from './model';

type Json = Record<string, unknown>;

function put(target: Json, key: string, value: unknown): void {
  if (value !== undefined && value !== null) target[key] = value;
}

export function workflowView(w: WorkflowRecord): Json {
  const out: Json = { externalId: w.externalId };
  put(out, 'description', w.description);
  put(out, 'dataSetId', w.dataSetId);
  put(out, 'maxConcurrentExecutions', w.maxConcurrentExecutions);
  out['createdTime'] = w.createdTime;
  out['lastUpdatedTime'] = w.lastUpdatedTime;
  return out;
}

export function taskDefinitionView(t: TaskDefinition): Json {
  const out: Json = { externalId: t.externalId, type: t.type };
  put(out, 'name', t.name);
  put(out, 'description', t.description);
  out['parameters'] = t.parameters;
  out['retries'] = t.retries;
  out['timeout'] = t.timeout;
  out['onFailure'] = t.onFailure;
  out['dependsOn'] = t.dependsOn;
  return out;
}

export function definitionView(d: WorkflowDefinition): Json {
  const out: Json = { hash: d.hash };
  put(out, 'description', d.description);
  out['tasks'] = d.tasks.map(taskDefinitionView);
  return out;
}

export function versionView(v: VersionRecord): Json {
  return {
    workflowExternalId: v.workflowExternalId,
    version: v.version,
    workflowDefinition: definitionView(v.workflowDefinition),
    createdTime: v.createdTime,
    lastUpdatedTime: v.lastUpdatedTime,
  };
}

export function executionView(e: ExecutionRecord): Json {
  const out: Json = {
    id: e.id,
    workflowExternalId: e.workflowExternalId,
    version: e.version,
    status: e.status,
    engineExecutionId: e.engineExecutionId,
    createdTime: e.createdTime,
  };
  put(out, 'startTime', e.startTime);
  put(out, 'endTime', e.endTime);
  put(out, 'reasonForIncompletion', e.reasonForIncompletion);
  out['metadata'] = e.metadata;
  return out;
}

export function taskExecutionView(t: TaskExecutionRecord): Json {
  const out: Json = { id: t.id, externalId: t.externalId };
  if (t.parentTaskExternalId) out['parentTaskExternalId'] = t.parentTaskExternalId;
  out['status'] = t.status;
  out['taskType'] = t.taskType;
  put(out, 'startTime', t.startTime);
  put(out, 'endTime', t.endTime);
  out['input'] = t.input;
  out['output'] = t.output;
  put(out, 'reasonForIncompletion', t.reasonForIncompletion);
  return out;
}

export function executionDetailedView(e: ExecutionRecord, tasks: TaskExecutionRecord[] = e.executedTasks): Json {
  const out = executionView(e);
  out['workflowDefinition'] = definitionView(e.workflowDefinition);
  out['executedTasks'] = tasks.map(taskExecutionView);
  out['input'] = e.input ?? {};
  return out;
}

export function triggerView(t: TriggerRecord): Json {
  const out: Json = {
    externalId: t.externalId,
    triggerRule: t.triggerRule,
    workflowExternalId: t.workflowExternalId,
    workflowVersion: t.workflowVersion,
  };
  out['input'] = t.input ?? {};
  out['metadata'] = t.metadata ?? {};
  out['isPaused'] = t.isPaused;
  out['createdTime'] = t.createdTime;
  out['lastUpdatedTime'] = t.lastUpdatedTime;
  return out;
}

export function sessionView(s: SessionRecord): Json {
  const out: Json = { id: s.id, type: s.type, status: s.status, creationTime: s.creationTime, expirationTime: s.expirationTime };
  put(out, 'clientId', s.clientId);
  return out;
}

export function functionView(f: FunctionRecord): Json {
  const out: Json = { id: f.id, name: f.name };
  put(out, 'externalId', f.externalId);
  put(out, 'description', f.description);
  put(out, 'owner', f.owner);
  out['fileId'] = f.fileId;
  out['functionPath'] = f.functionPath;
  out['status'] = f.status;
  out['createdTime'] = f.createdTime;
  out['runtime'] = f.runtime;
  put(out, 'runtimeVersion', f.runtimeVersion);
  if (f.secrets) out['secrets'] = Object.fromEntries(Object.keys(f.secrets).map((k) => [k, '***']));
  put(out, 'envVars', f.envVars);
  put(out, 'metadata', f.metadata);
  out['cpu'] = f.cpu;
  out['memory'] = f.memory;
  put(out, 'error', f.error);
  put(out, 'lastCalled', f.lastCalled);
  return out;
}

export function callView(c: FunctionCallRecord): Json {
  const out: Json = { id: c.id, status: c.status, startTime: c.startTime };
  put(out, 'endTime', c.endTime);
  put(out, 'error', c.error);
  put(out, 'scheduleId', c.scheduleId);
  put(out, 'scheduledTime', c.scheduledTime);
  out['functionId'] = c.functionId;
  return out;
}

export function scheduleView(s: ScheduleRecord): Json {
  const out: Json = { id: s.id, name: s.name };
  put(out, 'description', s.description);
  out['cronExpression'] = s.cronExpression;
  out['when'] = s.when;
  out['functionId'] = s.functionId;
  put(out, 'functionExternalId', s.functionExternalId);
  out['createdTime'] = s.createdTime;
  out['sessionId'] = String(s.sessionId);
  return out;
}

export function fileView(f: FileRecord): Json {
  const out: Json = { id: f.id };
  put(out, 'externalId', f.externalId);
  out['name'] = f.name;
  put(out, 'directory', f.directory);
  put(out, 'source', f.source);
  put(out, 'mimeType', f.mimeType);
  put(out, 'dataSetId', f.dataSetId);
  put(out, 'metadata', f.metadata);
  out['uploaded'] = f.uploaded;
  put(out, 'uploadedTime', f.uploadedTime);
  out['createdTime'] = f.createdTime;
  out['lastUpdatedTime'] = f.lastUpdatedTime;
  return out;
}
