// Trying a definition without a CDF project: the Cognite Functions its tasks call, packed from the Toolkit
// function folders of the workspace (`functions/<externalId>/`, the entry file from `*.Function.yaml`,
// default handler.py) and deployed to the local sandbox the way the schedule wizard deploys its trigger
// function (zip, Files upload, create, wait until Ready). A function with no code in the workspace gets an
// echo stand-in that returns the data it is called with. No UI here.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { strToU8, zipSync, type Zippable } from 'fflate';
import { type CdfClient } from '../client';
import { InputError } from '../errors';
import { type CdfFunction } from '../schemas/functions';
import { parseReference } from './references';
import { type ToolkitVariableValue, substituteTemplates } from './templates';
import { inlineSubworkflowTasks, isPlainObject, type TaskDefinitionLike } from './types';
import { yamlLib } from './yamlLib';

/** Function metadata key that marks a function this feature deployed, with the hash of its code. */
export const LOCAL_RUN_METADATA_KEY = 'cdf-workflows-local-run';
export const LOCAL_RUN_OWNER = 'CDF Data Workflows for VS Code (Run in Local Sandbox)';

/** What the stand-in runs: the task's data comes back as its response. */
export const ECHO_HANDLER_PY = `# Stand-in deployed by CDF Data Workflows for VS Code (Run in Local Sandbox): this function's code is not in
# the workspace, so it returns the data it is called with.
def handle(data):
    return data
`;

/** Folders and files a function package never needs (caches, virtual environments, version control). */
const SKIPPED = /(^|\/)(__pycache__|\.venv|venv|\.git|node_modules|\.mypy_cache|\.pytest_cache)(\/|$)|\.pyc$/;

/** The literal external ids of the functions a definition's function tasks call (references are left out). */
export function calledFunctions(tasks: readonly TaskDefinitionLike[]): string[] {
  const out = new Set<string>();
  const visit = (list: readonly TaskDefinitionLike[]): void => {
    for (const task of list) {
      if (!isPlainObject(task)) continue;
      if (task.type === 'function' && isPlainObject(task.parameters) && isPlainObject(task.parameters['function'])) {
        const id = task.parameters['function']['externalId'];
        if (typeof id === 'string' && id.trim() !== '' && parseReference(id) === undefined) out.add(id);
      }
      const inner = inlineSubworkflowTasks(task);
      if (inner) visit(inner);
    }
  };
  visit(tasks);
  return [...out];
}

export interface FunctionConfig {
  readonly externalId: string;
  readonly name?: string;
  /** The entry file relative to the code folder (`./` removed). */
  readonly functionPath: string;
}

/** The functions a Toolkit `*.Function.yaml` declares (one or a list), templates filled from `variables`. */
export function readFunctionConfigs(text: string, variables?: ReadonlyMap<string, ToolkitVariableValue>): FunctionConfig[] {
  let parsed: unknown;
  try {
    parsed = yamlLib().parse(substituteTemplates(text, variables).text);
  } catch {
    return [];
  }
  const items = Array.isArray(parsed) ? parsed : [parsed];
  const out: FunctionConfig[] = [];
  for (const item of items) {
    if (!isPlainObject(item) || typeof item['externalId'] !== 'string') continue;
    const functionPath = typeof item['functionPath'] === 'string' && item['functionPath'].trim() !== '' ? item['functionPath'].trim().replace(/^\.\//, '') : 'handler.py';
    out.push({ externalId: item['externalId'], functionPath, ...(typeof item['name'] === 'string' ? { name: item['name'] } : {}) });
  }
  return out;
}

/** A Toolkit function file: the kind is the last part of the stem (`my.Function.yaml`, `first.function.yml`). */
export function isFunctionConfigFile(fileName: string): boolean {
  return /\.function\.ya?ml$/i.test(path.basename(fileName)) || /^function\.ya?ml$/i.test(path.basename(fileName));
}

export interface FunctionPackage {
  readonly zip: Uint8Array;
  /** SHA-256 (hex) over every packed file's path and content: the same code gives the same hash. */
  readonly hash: string;
  readonly files: number;
  readonly bytes: number;
}

/** Zips a code folder with its files at the root of the archive, as the Toolkit does. */
export async function packFunctionFolder(folder: string, functionPath: string): Promise<FunctionPackage> {
  const entries: { rel: string; bytes: Uint8Array }[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      const rel = path.relative(folder, full).split(path.sep).join('/');
      if (SKIPPED.test(rel)) continue;
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) entries.push({ rel, bytes: new Uint8Array(await fs.readFile(full)) });
    }
  };
  await walk(folder);
  if (!entries.some((e) => e.rel === functionPath)) {
    throw new InputError(`The function folder ${folder} has no ${functionPath}: add it, or set functionPath in the function's .Function.yaml.`);
  }
  return pack(entries);
}

/** The echo stand-in as a package. */
export function echoPackage(): FunctionPackage {
  return pack([{ rel: 'handler.py', bytes: strToU8(ECHO_HANDLER_PY) }]);
}

function pack(entries: { rel: string; bytes: Uint8Array }[]): FunctionPackage {
  entries.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  const hash = createHash('sha256');
  // A fixed time, so the same code always makes the same bytes.
  const mtime = new Date(1980, 0, 1, 12, 0, 0);
  const files: Zippable = {};
  let bytes = 0;
  for (const e of entries) {
    hash.update(`${e.rel}\u0000${e.bytes.byteLength}\u0000`).update(e.bytes);
    files[e.rel] = [e.bytes, { level: 6, mtime }];
    bytes += e.bytes.byteLength;
  }
  return { zip: zipSync(files), hash: hash.digest('hex'), files: entries.length, bytes };
}

export interface FunctionDeploySpec {
  readonly externalId: string;
  readonly name?: string;
  readonly functionPath: string;
  readonly package: FunctionPackage;
  /** Why this code: the folder it came from, or that it is the stand-in (in the description). */
  readonly source: string;
}

export type FunctionDeployAction = 'reuse' | 'create' | 'replace' | 'foreign';

export interface FunctionDeployResult {
  readonly action: FunctionDeployAction;
  readonly function: CdfFunction;
}

export interface FunctionDeployOptions {
  readonly signal?: AbortSignal;
  readonly progress?: (message: string) => void;
  /** How long to wait for Ready (default 2 minutes: the sandbox builds in seconds). */
  readonly readyTimeoutMs?: number;
}

/**
 * Makes the function run this code: kept when it already does, replaced when this feature deployed other
 * code under the external id, created when there is none. A function deployed by someone else is left as it
 * is (`foreign`): this feature changes only what it made.
 */
export async function deployFunctionCode(client: CdfClient, spec: FunctionDeploySpec, options: FunctionDeployOptions = {}): Promise<FunctionDeployResult> {
  const { signal } = options;
  const [existing] = await client.functions.retrieveMany([{ externalId: spec.externalId }], { signal });
  const ours = existing?.metadata?.[LOCAL_RUN_METADATA_KEY];
  if (existing && ours === undefined) return { action: 'foreign', function: existing };
  if (existing && ours === spec.package.hash && existing.status !== 'Failed') {
    const ready = existing.status === 'Ready' ? existing : await waitReady(client, existing, options);
    return { action: 'reuse', function: ready };
  }
  if (existing) {
    options.progress?.(`replacing ${spec.externalId}`);
    await client.functions.delete([{ id: existing.id }], { ignoreUnknownIds: true, signal });
    await client.files.delete([{ id: existing.fileId }], { signal }).catch(() => undefined);
  }
  options.progress?.(`uploading ${spec.externalId} (${spec.package.files} file${spec.package.files === 1 ? '' : 's'})`);
  const file = await client.files.create(
    { name: `${spec.externalId}.zip`, externalId: `${LOCAL_RUN_METADATA_KEY}/${spec.externalId}/${spec.package.hash.slice(0, 16)}`, mimeType: 'application/zip', source: LOCAL_RUN_OWNER },
    { overwrite: true, signal },
  );
  await client.files.upload(file.uploadUrl, spec.package.zip, { mimeType: 'application/zip', signal });
  await client.files.waitUntilUploaded(file.id, { signal, pollIntervalMs: 100 });
  const created = await client.functions.create(
    {
      name: (spec.name ?? spec.externalId).slice(0, 140),
      externalId: spec.externalId,
      fileId: file.id,
      functionPath: spec.functionPath,
      description: `Deployed by Run in Local Sandbox from ${spec.source}.`.slice(0, 500),
      owner: LOCAL_RUN_OWNER,
      metadata: { [LOCAL_RUN_METADATA_KEY]: spec.package.hash },
    },
    { signal },
  );
  options.progress?.(`building ${spec.externalId}`);
  return { action: existing ? 'replace' : 'create', function: await waitReady(client, created, options) };
}

async function waitReady(client: CdfClient, fn: CdfFunction, options: FunctionDeployOptions): Promise<CdfFunction> {
  const done = await client.functions.waitUntilDeployed(fn.id, { signal: options.signal, timeoutMs: options.readyTimeoutMs ?? 120_000, pollIntervalMs: 250, maxPollIntervalMs: 2_000 });
  if (done.status === 'Failed') {
    throw new InputError(`Function ${fn.externalId ?? fn.id} did not build: ${done.error?.message ?? 'no reason given'}.${done.error?.trace ? ` ${done.error.trace.split('\n').slice(0, 3).join(' ')}` : ''}`);
  }
  return done;
}
