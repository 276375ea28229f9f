// Keeps the sandbox state in a data dir across restarts: state.json (written atomically: temp file, fsync,
// rename) and one file per uploaded blob. Function secrets are encrypted at rest with a key kept next to
// the state (mode 0600); nonces and access tokens are never written.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type {
  DataSetRecord,
  ExecutionRecord,
  FileRecord,
  FunctionCallRecord,
  FunctionRecord,
  ScheduleRecord,
  SessionRecord,
  TriggerRecord,
  VersionRecord,
  WorkflowRecord,
} from './model';
import { type Store, versionKey } from './store';

const STATE_VERSION = 1;

interface StoredFunction extends Omit<FunctionRecord, 'secrets'> {
  secretsEncrypted?: string;
}

interface StateFile {
  stateVersion: number;
  project: string;
  savedAt: string;
  workflows: WorkflowRecord[];
  versions: VersionRecord[];
  executions: ExecutionRecord[];
  triggers: TriggerRecord[];
  sessions: SessionRecord[];
  functions: StoredFunction[];
  calls: FunctionCallRecord[];
  schedules: ScheduleRecord[];
  files: FileRecord[];
  /** Absent in state saved before data sets were emulated. */
  dataSets?: DataSetRecord[];
}

function writeAtomic(file: string, data: string | Buffer, mode?: number): void {
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const fd = fs.openSync(tmp, 'w', mode ?? 0o644);
  try {
    if (typeof data === 'string') fs.writeSync(fd, data);
    else fs.writeSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

export class Persistence {
  private readonly stateFile: string;
  private readonly blobDir: string;
  private readonly key: Buffer;
  private timer: NodeJS.Timeout | undefined;
  /** What is on disk per blob (uploadedTime:size), to write only changed blobs. */
  private readonly blobMarkers = new Map<number, string>();
  private dirty = false;

  constructor(
    dataDir: string,
    private readonly store: Store,
    private readonly project: string,
    private readonly log: (line: string) => void,
  ) {
    fs.mkdirSync(dataDir, { recursive: true });
    this.stateFile = path.join(dataDir, 'state.json');
    this.blobDir = path.join(dataDir, 'files');
    fs.mkdirSync(this.blobDir, { recursive: true });
    const keyFile = path.join(dataDir, 'secrets.key');
    if (fs.existsSync(keyFile)) this.key = Buffer.from(fs.readFileSync(keyFile, 'utf8').trim(), 'base64');
    else {
      this.key = randomBytes(32);
      writeAtomic(keyFile, this.key.toString('base64'), 0o600);
    }
  }

  /** Loads state.json into the (empty) store. Returns false when the data dir has no state yet. */
  load(): boolean {
    if (!fs.existsSync(this.stateFile)) return false;
    let state: StateFile;
    try {
      state = JSON.parse(fs.readFileSync(this.stateFile, 'utf8')) as StateFile;
    } catch (err) {
      throw new Error(`The sandbox state in ${this.stateFile} cannot be read (${(err as Error).message}). Move it away to start fresh.`, { cause: err });
    }
    if (state.stateVersion !== STATE_VERSION) {
      throw new Error(`The sandbox state in ${this.stateFile} has version ${state.stateVersion}; this sandbox reads version ${STATE_VERSION}.`);
    }
    if (state.project !== this.project) {
      this.log(`sandbox: the data dir holds project "${state.project}"; serving it as "${this.project}".`);
    }
    const s = this.store;
    for (const w of state.workflows) s.workflows.set(w.externalId, w);
    for (const v of state.versions) s.versions.set(versionKey(v.workflowExternalId, v.version), v);
    s.addExecutions(state.executions);
    for (const t of state.triggers) s.triggers.set(t.externalId, t);
    for (const x of state.sessions) s.sessions.set(x.id, x);
    for (const f of state.functions) {
      const { secretsEncrypted, ...rest } = f;
      const fn: FunctionRecord = { ...rest };
      if (secretsEncrypted) fn.secrets = this.decrypt(secretsEncrypted);
      s.functions.set(fn.id, fn);
    }
    for (const c of state.calls) s.calls.set(c.id, c);
    for (const x of state.schedules) s.schedules.set(x.id, x);
    for (const d of state.dataSets ?? []) s.dataSets.set(d.id, d);
    for (const f of state.files) {
      s.files.set(f.id, f);
      const blob = path.join(this.blobDir, `${f.id}.bin`);
      if (fs.existsSync(blob)) {
        const bytes = fs.readFileSync(blob);
        s.fileContents.set(f.id, bytes);
        this.blobMarkers.set(f.id, this.markerOf(f.id, bytes));
      }
    }
    return true;
  }

  /** Writes soon (changes come in bursts); flush() writes now. */
  scheduleSave(): void {
    this.dirty = true;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, 200);
    this.timer.unref();
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (!this.dirty) return;
    this.dirty = false;
    try {
      this.writeBlobs();
      writeAtomic(this.stateFile, JSON.stringify(this.snapshot()));
    } catch (err) {
      this.log(`sandbox: could not save state to ${this.stateFile}: ${(err as Error).message}`);
    }
  }

  close(): void {
    this.flush();
  }

  private snapshot(): StateFile {
    const s = this.store;
    return {
      stateVersion: STATE_VERSION,
      project: this.project,
      savedAt: new Date().toISOString(),
      workflows: [...s.workflows.values()],
      versions: [...s.versions.values()],
      executions: [...s.executions.values()],
      triggers: [...s.triggers.values()],
      sessions: [...s.sessions.values()],
      functions: [...s.functions.values()].map((f) => {
        const { secrets, ...rest } = f;
        return secrets ? { ...rest, secretsEncrypted: this.encrypt(secrets) } : rest;
      }),
      calls: [...s.calls.values()],
      schedules: [...s.schedules.values()],
      files: [...s.files.values()],
      dataSets: [...s.dataSets.values()],
    };
  }

  /** Writes blobs whose content changed since the last save and removes blobs of deleted files. */
  private writeBlobs(): void {
    for (const [id, bytes] of this.store.fileContents) {
      const marker = this.markerOf(id, bytes);
      if (this.blobMarkers.get(id) === marker) continue;
      writeAtomic(path.join(this.blobDir, `${id}.bin`), bytes);
      this.blobMarkers.set(id, marker);
    }
    for (const id of [...this.blobMarkers.keys()]) {
      if (this.store.fileContents.has(id)) continue;
      fs.rmSync(path.join(this.blobDir, `${id}.bin`), { force: true });
      this.blobMarkers.delete(id);
    }
  }

  private markerOf(id: number, bytes: Buffer): string {
    return `${this.store.files.get(id)?.uploadedTime ?? 0}:${bytes.length}`;
  }

  private encrypt(secrets: Record<string, string>): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(JSON.stringify(secrets), 'utf8'), cipher.final()]);
    return [iv, cipher.getAuthTag(), data].map((b) => b.toString('base64')).join('.');
  }

  private decrypt(text: string): Record<string, string> {
    const [iv, tag, data] = text.split('.').map((p) => Buffer.from(p, 'base64'));
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
    decipher.setAuthTag(tag);
    return JSON.parse(Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8')) as Record<string, string>;
  }
}
