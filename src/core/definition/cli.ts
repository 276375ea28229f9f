// The engine of the command-line checker (`npm run check:definitions`): the editor's checks on files and
// folders, one `path:line:col: severity: message` line per finding, exit status 1 when any finding is an
// error. Folders are searched for Toolkit workflow files (by suffix) and API JSON definitions (by content).
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { type DefinitionFinding, type FindingSeverity, diagnoseDefinition } from './diagnose';
import { type DefinitionDocument, definitionFormatOf, mayBeDefinitionJson, parseDefinitionDocument, toolkitKindOf } from './document';
import { type SchemaSet } from './schema/schemaSet';
import { type ToolkitProject, type ToolkitVariables, findToolkitProject, toolkitVariablesFor } from './toolkitProject';
import { WorkspaceIndex } from './workspaceIndex';

export const CLI_USAGE = `Usage: check-definitions [--env NAME] [--severity error|warning|info] <file or folder>...

Checks CDF workflow definitions: Cognite Toolkit files (*.Workflow.yaml, *.WorkflowVersion.yaml,
*.WorkflowTrigger.yaml) and API JSON bodies. Folders are searched recursively (node_modules, build and
dot-folders are skipped).

  --env NAME        the Toolkit environment whose config.NAME.yaml fills {{ variables }}
                    (default: the first config.<env>.yaml by name above each file)
  --severity LEVEL  the least severe finding to print (default: info)

Prints one line per finding, path:line:col: error|warning|info: message, and exits with
1 when there is any error, 2 when the arguments are wrong, 0 otherwise.`;

export interface CliIo {
  readonly cwd: string;
  out(line: string): void;
  err(line: string): void;
  readonly schemas: SchemaSet;
}

interface CliArgs {
  readonly env?: string;
  readonly severity: FindingSeverity;
  readonly paths: readonly string[];
}

const RANK: Readonly<Record<FindingSeverity, number>> = { error: 0, warning: 1, info: 2 };
const SKIPPED_FOLDERS = new Set(['node_modules', 'build', 'dist', 'out', '__pycache__']);

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): CliArgs | 'help' {
  let env: string | undefined;
  let severity: FindingSeverity = 'info';
  const paths: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (name: string): string => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined || v === '') throw new UsageError(`${name} needs a value.`);
      return v;
    };
    if (a === '--help' || a === '-h') return 'help';
    else if (a === '--env' || a.startsWith('--env=')) env = value('--env');
    else if (a === '--severity' || a.startsWith('--severity=')) {
      const v = value('--severity');
      if (v !== 'error' && v !== 'warning' && v !== 'info') throw new UsageError(`--severity must be error, warning or info, not "${v}".`);
      severity = v;
    } else if (a === '--') continue;
    else if (a.startsWith('-')) throw new UsageError(`Unknown option ${a}.`);
    else paths.push(a);
  }
  if (paths.length === 0) throw new UsageError('Name at least one file or folder to check.');
  return { ...(env ? { env } : {}), severity, paths };
}

/** Runs the checker; resolves to the exit status. */
export async function runDefinitionCheck(argv: readonly string[], io: CliIo): Promise<number> {
  let args: CliArgs | 'help';
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`check-definitions: ${e.message}\n\n${CLI_USAGE}`);
    return 2;
  }
  if (args === 'help') {
    io.out(CLI_USAGE);
    return 0;
  }

  const files: string[] = [];
  for (const p of args.paths) {
    const abs = path.resolve(io.cwd, p);
    const stat = await fs.stat(abs).catch(() => undefined);
    if (!stat) {
      io.err(`check-definitions: ${p} does not exist.`);
      return 2;
    }
    if (stat.isDirectory()) files.push(...(await definitionFiles(abs)));
    else files.push(abs);
  }

  // Parse everything first: subworkflow and trigger references may point at any file, and at the other
  // versions of each file's Toolkit project.
  const index = new WorkspaceIndex();
  const parsed: { file: string; doc: DefinitionDocument; variables?: ToolkitVariables }[] = [];
  const projects = new Map<string, ToolkitProject>();
  for (const file of [...new Set(files)].sort()) {
    const text = await fs.readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) {
      io.err(`check-definitions: ${relative(io.cwd, file)} cannot be read.`);
      return 2;
    }
    const format = definitionFormatOf(file);
    if (!format) continue;
    let variables: ToolkitVariables | undefined;
    if (format === 'yaml') {
      const project = await findToolkitProject(file);
      if (project && args.env && !project.environments.some((e) => e.name === args.env)) {
        io.err(`check-definitions: ${relative(io.cwd, project.root)} has no config.${args.env}.yaml (it has ${project.environments.map((e) => `config.${e.name}.yaml`).join(', ')}).`);
        return 2;
      }
      if (project) projects.set(project.root, project);
      variables = await toolkitVariablesFor(file, args.env);
    }
    const doc = parseDefinitionDocument(text, { fileName: file, format, variables: variables?.values, allowComments: /\.jsonc$/i.test(file) });
    if (!doc) continue;
    index.setDocument(file, doc);
    parsed.push({ file, doc, ...(variables ? { variables } : {}) });
  }
  for (const root of projects.keys()) {
    for (const file of await definitionFiles(root)) {
      if (toolkitKindOf(file) !== 'version' || parsed.some((p) => p.file === file)) continue;
      const text = await fs.readFile(file, 'utf8').catch(() => undefined);
      const variables = text === undefined ? undefined : await toolkitVariablesFor(file, args.env);
      const doc = text === undefined ? undefined : parseDefinitionDocument(text, { fileName: file, variables: variables?.values });
      index.setDocument(file, doc);
    }
  }

  const counts: Record<FindingSeverity, number> = { error: 0, warning: 0, info: 0 };
  for (const { file, doc, variables } of parsed) {
    const findings: DefinitionFinding[] = diagnoseDefinition(doc, {
      schemas: io.schemas,
      versions: (workflowExternalId, version) => ({
        status: index.findVersion(workflowExternalId, version) ? 'found' : 'missing',
        searched: 'in the files checked or their Toolkit project',
      }),
      ...(variables ? { templates: { environment: variables.environment.name, configFile: variables.environment.configFile, ...(variables.module ? { module: variables.module } : {}), ...(variables.configError ? { configError: variables.configError } : {}) } } : {}),
    });
    for (const f of findings) {
      counts[f.severity]++;
      if (RANK[f.severity] > RANK[args.severity]) continue;
      const at = doc.lines.positionAt(f.start);
      io.out(`${relative(io.cwd, file)}:${at.line + 1}:${at.character + 1}: ${f.severity}: ${f.message}`);
    }
  }
  io.err(`check-definitions: ${parsed.length} definition file${parsed.length === 1 ? '' : 's'} checked: ${counts.error} error${counts.error === 1 ? '' : 's'}, ${counts.warning} warning${counts.warning === 1 ? '' : 's'}, ${counts.info} info.`);
  return counts.error > 0 ? 1 : 0;
}

/** Definition files under a folder: Toolkit workflow files by suffix, JSON by content (checked later). */
export async function definitionFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    const entries = await fs.readdir(d, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) {
        if (!e.name.startsWith('.') && !SKIPPED_FOLDERS.has(e.name)) await walk(full);
      } else if (e.isFile()) {
        if (toolkitKindOf(e.name)) out.push(full);
        else if (/\.jsonc?$/i.test(e.name) && !/^(package(-lock)?|tsconfig|jsconfig)\.json$/i.test(e.name)) {
          const text = await fs.readFile(full, 'utf8').catch(() => '');
          if (mayBeDefinitionJson(text)) out.push(full);
        }
      }
    }
  };
  await walk(dir);
  return out.sort();
}

function relative(cwd: string, file: string): string {
  const rel = path.relative(cwd, file);
  return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel.split(path.sep).join('/');
}
