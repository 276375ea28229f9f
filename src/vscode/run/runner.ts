// Runs a workflow version with a JSON file as its input: checks the file, asks what is missing (workflow,
// version, metadata), starts the run under a cancellable progress notification, then reveals the new
// execution in the tree and follows it to its end. Typed errors go to the command boundary; nothing here
// ever sends a run twice (an OutcomeUnknownError is reported, not retried).
import * as vscode from 'vscode';
import { type CdfClient } from '../../core/client';
import { type Execution } from '../../core/schemas/executions';
import { type ExecutionRef } from '../executions/tracker';
import { DisposableBase } from '../lifecycle';
import { type Services } from '../services';
import { type PromptStep, runPrompts } from '../wizard';
import { activeJsonDocument, chooseInputFile, type CheckedInput, displayName, RunInputChecker } from './inputFile';
import { type RememberedRun, RunMemory, type RunTarget } from './memory';
import { parseUserMetadata, promptMetadata } from './metadata';
import { missingInputReferences, parseRunInput } from '../../core/run';
import { type WorkflowVersion } from '../../core/schemas/workflows';
import { confirmInputReferences, describeMissing, pickVersion, pickWorkflow, readVersion } from './target';

/** What a run command has gathered so far. */
interface RunDraft {
  connection: string;
  input?: CheckedInput;
  remembered?: RememberedRun;
  workflowExternalId?: string;
  version?: string;
  /** The workflow picker's remembered pair was chosen: no version prompt. */
  pairChosen?: boolean;
  /** The version's definition, when read before the input was chosen (so the check reads it once). */
  definition?: WorkflowVersion;
  metadataText: string;
  metadata: Record<string, string>;
}

type ReadyDraft = RunDraft & { input: CheckedInput; workflowExternalId: string; version: string };

export class WorkflowRunner extends DisposableBase {
  readonly memory: RunMemory;
  readonly checker = this.register(new RunInputChecker());

  constructor(private readonly services: Pick<Services, 'context' | 'log' | 'ui' | 'connections' | 'tracker' | 'tree'>) {
    super();
    this.memory = this.register(new RunMemory(services.context.workspaceState));
  }

  private get ui() {
    return this.services.ui();
  }

  private clientOf(connection: string): () => Promise<CdfClient> {
    return async () => (await this.services.connections.client(connection)).client;
  }

  /** Run Workflow with JSON Input: the file given, else the active JSON editor, else a file dialog. */
  async runFile(file?: vscode.Uri): Promise<Execution> {
    const uri = file ?? activeJsonDocument()?.uri ?? (await chooseInputFile(this.ui));
    const input = await this.checker.check(uri);
    const connection = this.services.connections.resolve().name;
    const remembered = this.memory.get(uri);
    const draft: RunDraft = {
      connection,
      input,
      remembered: remembered?.connection === connection ? remembered : undefined,
      metadataText: remembered?.metadata ?? '',
      metadata: {},
    };
    const client = this.clientOf(connection);
    await runPrompts<RunDraft>(this.ui, draft, {
      title: `Run with ${input.name}`,
      prompts: [
        {
          prompt: async (d, ui, step) => {
            const choice = await pickWorkflow(ui, step, client, { connection, file: input.name }, d.remembered);
            d.workflowExternalId = choice.workflowExternalId;
            d.version = choice.version;
            d.pairChosen = choice.version !== undefined;
            if (d.pairChosen) await this.confirmReferences(d);
          },
        },
        {
          shouldPrompt: d => !d.pairChosen,
          prompt: async (d, ui, step) => {
            const wf = d.workflowExternalId ?? '';
            d.version = await pickVersion(ui, step, client, wf, d.remembered?.workflowExternalId === wf ? d.remembered.version : undefined, input);
            await this.confirmReferences(d);
          },
        },
        this.metadataStep(),
      ],
    });
    return this.start(ready(draft));
  }

  /** Run... on a version node: the target is known; the input is the active JSON editor or a chosen file. */
  async runVersion(target: RunTarget): Promise<Execution> {
    this.services.connections.resolve(target.connection);
    const active = activeJsonDocument();
    const draft: RunDraft = { connection: target.connection, workflowExternalId: target.workflowExternalId, version: target.version, metadataText: '', metadata: {} };
    const name = `${target.workflowExternalId}@${target.version}`;
    await runPrompts<RunDraft>(this.ui, draft, {
      title: `Run ${name}`,
      prompts: [
        {
          prompt: async (d, ui, step) => {
            let uri: vscode.Uri;
            if (active) {
              // The definition the input check needs anyway, read now so the pick can say what the editor's input lacks.
              const definition = (d.definition ??= await readVersion(this.clientOf(d.connection), target));
              const lacks = lacksFor(definition, active.getText());
              const source = await ui.pick<'active' | 'file'>({
                ...step,
                placeholder: `Input for ${name}`,
                items: [
                  {
                    label: `Active editor (${displayName(active.uri)})`,
                    description: [active.isDirty ? 'with unsaved changes' : undefined, lacks].filter(Boolean).join(' · ') || undefined,
                    iconPath: new vscode.ThemeIcon(lacks ? 'warning' : 'file-code'),
                    value: 'active',
                  },
                  { label: 'Choose a file...', iconPath: new vscode.ThemeIcon('folder-opened'), value: 'file' },
                ],
              });
              uri = source === 'active' ? active.uri : await chooseInputFile(ui);
            } else {
              uri = await chooseInputFile(ui);
            }
            d.input = await this.checker.check(uri);
            const remembered = this.memory.get(uri);
            d.metadataText = remembered?.metadata ?? '';
            await this.confirmReferences(d);
          },
        },
        this.metadataStep(),
      ],
    });
    return this.start(ready(draft));
  }

  /** The CodeLens: the remembered (or given) target, the remembered metadata, no prompts but the checks' own. */
  async runWith(uri: vscode.Uri, target: RunTarget | undefined): Promise<Execution> {
    const remembered = this.memory.get(uri);
    const to = target ?? remembered;
    if (!to) return this.runFile(uri);
    const input = await this.checker.check(uri);
    this.services.connections.resolve(to.connection);
    const metadataText = remembered?.metadata ?? '';
    const draft: RunDraft = {
      connection: to.connection,
      input,
      workflowExternalId: to.workflowExternalId,
      version: to.version,
      metadataText,
      // Accepted when it was remembered; parsed again in case the file's memory is from an older version.
      metadata: parseUserMetadata(metadataText),
    };
    await this.confirmReferences(draft);
    return this.start(ready(draft));
  }

  private metadataStep(): PromptStep<RunDraft> {
    return {
      prompt: async (d, ui, step) => {
        const answer = await promptMetadata(ui, step, d.metadataText);
        d.metadataText = answer.text;
        d.metadata = answer.metadata;
      },
    };
  }

  private async confirmReferences(d: RunDraft): Promise<void> {
    const { input, workflowExternalId, version } = ready(d);
    const known = d.definition?.workflowExternalId === workflowExternalId && d.definition.version === version ? d.definition : undefined;
    await confirmInputReferences(this.ui, this.clientOf(d.connection), { connection: d.connection, workflowExternalId, version }, input, known);
  }

  /** Session and run under a progress notification with Cancel; then reveal, follow and remember. */
  private async start(d: ReadyDraft): Promise<Execution> {
    const name = `${d.workflowExternalId}@${d.version}`;
    const execution = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Starting ${name}`, cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => abort.abort());
        try {
          progress.report({ message: `${d.input.name} on ${d.connection}` });
          // The session, the run and any look-up after an ambiguous answer finish on one client.
          return await this.services.connections.use(d.connection, ({ client }) =>
            client.executions.run(d.workflowExternalId, d.version, { input: d.input.input, metadata: d.metadata, signal: abort.signal }),
          );
        } finally {
          sub.dispose();
        }
      },
    );
    const ref: ExecutionRef = { connection: d.connection, executionId: execution.id };
    const keys = Object.keys(d.metadata);
    this.services.log.info(
      `Started execution ${execution.id} of ${name} on "${d.connection}" with ${d.input.name} ` +
        `(${d.input.bytes.toLocaleString('en-US')} bytes of input${keys.length ? `; metadata ${keys.join(', ')}` : ''})`,
    );
    await this.memory.remember(d.input.uri, { connection: d.connection, workflowExternalId: d.workflowExternalId, version: d.version, metadata: d.metadataText });
    // Following does not wait for the tree, and a tree that cannot show the run does not fail it.
    this.services.tracker.follow(ref).catch((e: unknown) => this.services.log.warn(`Following execution ${execution.id}: ${e instanceof Error ? e.message : String(e)}`));
    try {
      await this.services.tree.revealExecution(ref, execution, { expand: true });
    } catch (e) {
      this.services.log.warn(`Showing execution ${execution.id} in the tree: ${e instanceof Error ? e.message : String(e)}`);
    }
    return execution;
  }
}

/** "lacks runDate" for the text of a JSON input, or undefined (also when it is not a valid input yet). */
function lacksFor(definition: WorkflowVersion, text: string): string | undefined {
  try {
    const missing = missingInputReferences(definition.workflowDefinition, parseRunInput(text).input);
    return missing.length ? describeMissing(missing) : undefined;
  } catch {
    return undefined;
  }
}

function ready(d: RunDraft): ReadyDraft {
  if (!d.input || d.workflowExternalId === undefined || d.version === undefined) {
    throw new Error('A run was started before its input, workflow and version were known.');
  }
  return d as ReadyDraft;
}
