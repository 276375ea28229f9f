// What was last run with each input file (workspaceState, keyed by the file's URI): the connection, the
// workflow version and the metadata text. It orders the pickers, prefills the metadata box and drives
// the CodeLens. Nothing secret is stored here.
import * as vscode from 'vscode';
import { DisposableBase } from '../lifecycle';

/** A workflow version on a connection: what a run goes to. */
export interface RunTarget {
  readonly connection: string;
  readonly workflowExternalId: string;
  readonly version: string;
}

export interface RememberedRun extends RunTarget {
  /** The metadata as typed (`key=value, key2=value2`), possibly empty. */
  readonly metadata: string;
  /** When the run started (ms since epoch): the newest entries are kept. */
  readonly time: number;
}

const STATE_KEY = 'cdfWorkflows.run.lastUsed';
/** Bounds workspaceState: older files are forgotten first. */
const MAX_FILES = 200;

type Stored = Record<string, RememberedRun>;

function isRemembered(v: unknown): v is RememberedRun {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return ['connection', 'workflowExternalId', 'version', 'metadata'].every(k => typeof r[k] === 'string') && typeof r.time === 'number';
}

export class RunMemory extends DisposableBase {
  private readonly emitter = this.register(new vscode.EventEmitter<vscode.Uri>());
  /** Fires with the file whose memory changed. */
  readonly onDidChange = this.emitter.event;

  constructor(private readonly state: vscode.Memento) {
    super();
    // A renamed or moved input file keeps its memory.
    this.register(
      vscode.workspace.onDidRenameFiles(e => {
        for (const { oldUri, newUri } of e.files) void this.move(oldUri, newUri);
      }),
    );
  }

  get(uri: vscode.Uri): RememberedRun | undefined {
    return this.read()[uri.toString()];
  }

  async remember(uri: vscode.Uri, run: Omit<RememberedRun, 'time'>, time = Date.now()): Promise<void> {
    const all = this.read();
    all[uri.toString()] = { connection: run.connection, workflowExternalId: run.workflowExternalId, version: run.version, metadata: run.metadata, time };
    const kept = Object.entries(all).sort(([, a], [, b]) => b.time - a.time).slice(0, MAX_FILES);
    await this.state.update(STATE_KEY, Object.fromEntries(kept));
    this.emitter.fire(uri);
  }

  async forget(uri: vscode.Uri): Promise<void> {
    const all = this.read();
    if (!(uri.toString() in all)) return;
    delete all[uri.toString()];
    await this.state.update(STATE_KEY, all);
    this.emitter.fire(uri);
  }

  private async move(from: vscode.Uri, to: vscode.Uri): Promise<void> {
    const all = this.read();
    const entry = all[from.toString()];
    if (!entry) return;
    delete all[from.toString()];
    all[to.toString()] = entry;
    await this.state.update(STATE_KEY, all);
    this.emitter.fire(from);
    this.emitter.fire(to);
  }

  /** A copy of what is stored, without entries of an unexpected shape (state written by another version). */
  private read(): Stored {
    const raw = this.state.get<unknown>(STATE_KEY);
    const out: Stored = {};
    if (typeof raw !== 'object' || raw === null) return out;
    for (const [key, value] of Object.entries(raw)) if (isRemembered(value)) out[key] = value;
    return out;
  }
}
