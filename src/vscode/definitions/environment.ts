// The Toolkit environment whose `config.<env>.yaml` fills `{{ variable }}` templates, chosen per Toolkit
// project from a status bar item (the first config found by name until the user picks one).
//
// Stable API (deploy, diff and the language features use it):
//   environments.projectOf(uri)    -> ToolkitProject | undefined (the folder with config.<env>.yaml above the file)
//   environments.selected(project) -> ToolkitEnvironment (the stored choice, else the first by name)
//   environments.variablesFor(uri) -> ToolkitVariables | undefined (module, values of the selected environment)
//   environments.select(projectRoot, name), environments.pick(uri?)  (the latter shows a quick pick)
//   environments.onDidChange       (a choice changed, or a config file was edited, created or deleted)
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  type ToolkitEnvironment,
  type ToolkitProject,
  type ToolkitVariables,
  environmentsIn,
  moduleOf,
  parseToolkitConfig,
  variablesForModule,
} from '../../core/definition/toolkitProject';
import { type ToolkitConfig } from '../../core/definition/toolkitProject';
import { InputError } from '../../core/errors';
import { DisposableBase } from '../lifecycle';
import { type UserInput } from '../ui';

const STATE_KEY = 'cdfWorkflows.toolkitEnvironments';

export class ToolkitEnvironments extends DisposableBase {
  private readonly emitter = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.emitter.event;
  /** Folder -> the project found from it (undefined: none above it). */
  private readonly projects = new Map<string, Promise<ToolkitProject | undefined>>();
  private readonly configs = new Map<string, Promise<ToolkitConfig>>();

  constructor(
    private readonly state: vscode.Memento,
    private readonly ui: () => UserInput,
  ) {
    super();
    const watcher = this.register(vscode.workspace.createFileSystemWatcher('**/config.*.yaml'));
    const changed = (uri: vscode.Uri, structural: boolean): void => {
      this.configs.delete(uri.fsPath);
      if (structural) this.projects.clear();
      this.emitter.fire();
    };
    this.registerAll(
      watcher.onDidChange((uri) => changed(uri, false)),
      watcher.onDidCreate((uri) => changed(uri, true)),
      watcher.onDidDelete((uri) => changed(uri, true)),
      // Unsaved edits of a config count too: templates follow what the user sees.
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (/^config\..+\.yaml$/.test(path.basename(e.document.uri.fsPath)) && e.contentChanges.length > 0) changed(e.document.uri, false);
      }),
    );
  }

  /** The Toolkit project above a file: the nearest folder holding a `config.<env>.yaml`. */
  projectOf(uri: vscode.Uri): Promise<ToolkitProject | undefined> {
    if (uri.scheme !== 'file' && uri.scheme !== 'untitled') return Promise.resolve(undefined);
    return this.projectFrom(path.dirname(uri.fsPath));
  }

  private projectFrom(dir: string): Promise<ToolkitProject | undefined> {
    let found = this.projects.get(dir);
    if (!found) {
      found = (async () => {
        const environments = await environmentsIn(dir);
        if (environments.length > 0) return { root: dir, environments };
        const parent = path.dirname(dir);
        return parent === dir ? undefined : this.projectFrom(parent);
      })();
      this.projects.set(dir, found);
    }
    return found;
  }

  /** The environment in use for a project: the user's choice if it still exists, else the first by name. */
  selected(project: ToolkitProject): ToolkitEnvironment {
    const chosen = this.state.get<Record<string, string>>(STATE_KEY, {})[project.root];
    return project.environments.find((e) => e.name === chosen) ?? (project.environments[0]);
  }

  async select(projectRoot: string, name: string): Promise<void> {
    const all = { ...this.state.get<Record<string, string>>(STATE_KEY, {}), [projectRoot]: name };
    await this.state.update(STATE_KEY, all);
    this.emitter.fire();
  }

  /** The variables a file sees in its project's selected environment; undefined outside a Toolkit project. */
  async variablesFor(uri: vscode.Uri): Promise<ToolkitVariables | undefined> {
    const project = await this.projectOf(uri);
    if (!project) return undefined;
    const environment = this.selected(project);
    const config = await this.config(environment.configFile);
    const module = moduleOf(uri.fsPath, project.root);
    return {
      project,
      environment,
      module,
      values: variablesForModule(config.variables, module),
      ...(config.error ? { configError: config.error } : {}),
    };
  }

  private config(file: string): Promise<ToolkitConfig> {
    let config = this.configs.get(file);
    if (!config) {
      config = (async () => {
        // An open editor's text wins over the disk: unsaved edits apply at once.
        const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file);
        const text = open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.file(file)));
        return parseToolkitConfig(text);
      })().catch((e: unknown) => ({ variables: {}, error: `${path.basename(file)} could not be read: ${e instanceof Error ? e.message : String(e)}` }));
      this.configs.set(file, config);
    }
    return config;
  }

  /** Asks which environment to use for the project of `uri` (or of the active editor). */
  async pick(uri?: vscode.Uri): Promise<void> {
    const target = uri ?? vscode.window.activeTextEditor?.document.uri;
    const project = target ? await this.projectOf(target) : undefined;
    if (!project) {
      throw new InputError('The active file is not in a Cognite Toolkit project: no config.<env>.yaml was found in its folder or above it.');
    }
    const current = this.selected(project);
    const name = await this.ui().pick({
      title: 'Toolkit environment for {{ variables }}',
      placeholder: `Variables from config.<env>.yaml in ${project.root}`,
      items: project.environments.map((e) => ({
        label: e.name,
        description: e.name === current.name ? 'current' : undefined,
        detail: e.configFile,
        value: e.name,
      })),
      active: (item) => item.value === current.name,
    });
    await this.select(project.root, name);
  }
}

/** Shows the environment of the active definition file's Toolkit project; a click picks another. */
export class ToolkitEnvironmentStatusBar extends DisposableBase {
  private readonly item = this.register(vscode.window.createStatusBarItem('cdfWorkflows.toolkitEnvironment', vscode.StatusBarAlignment.Left, 49));
  private generation = 0;

  constructor(
    private readonly environments: ToolkitEnvironments,
    /** Whether a document is a definition file the environment applies to. */
    private readonly isDefinition: (document: vscode.TextDocument) => boolean,
  ) {
    super();
    this.item.name = 'Toolkit Environment';
    this.item.command = 'cdfWorkflows.selectToolkitEnvironment';
    this.registerAll(
      vscode.window.onDidChangeActiveTextEditor(() => void this.update()),
      environments.onDidChange(() => void this.update()),
    );
    void this.update();
  }

  async update(): Promise<void> {
    const generation = ++this.generation;
    const document = vscode.window.activeTextEditor?.document;
    const project = document && this.isDefinition(document) ? await this.environments.projectOf(document.uri) : undefined;
    if (generation !== this.generation || this.isDisposed) return; // a newer update is under way
    if (!project) {
      this.item.hide();
      return;
    }
    const env = this.environments.selected(project);
    this.item.text = `$(symbol-namespace) ${env.name}`;
    this.item.tooltip = new vscode.MarkdownString(
      `**Toolkit environment:** ${env.name}\n\n\`{{ variables }}\` come from \`${path.basename(env.configFile)}\` in ${project.root}.\n\nClick to pick another environment.`,
    );
    this.item.show();
  }
}
