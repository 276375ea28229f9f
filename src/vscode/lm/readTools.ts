// The read-only tools: no confirmation (they change nothing), a progress message naming what is read, and
// the answer from core/lm. None of them sends a write request.
import type * as vscode from 'vscode';
import { InputError } from '../../core/errors';
import * as path from 'node:path';
import { SchemaSet } from '../../core/definition';
import {
  checkDefinitionSource,
  inlineFileName,
  checkVersionText,
  explainFailureText,
  fitToTokens,
  functionLogsText,
  getExecutionText,
  listExecutionsText,
  listWorkflowsText,
  parseToolInput,
  type ReadContext,
  TOOL,
  type ToolInput,
  type ToolName,
} from '../../core/lm';
import { answer, answerBudget, type LmServices, readContext, resolveConnection, resolveTarget } from './support';
import { readText, resolveWorkspaceFile, workspaceName } from './workspaceFiles';

type ReadToolName = Exclude<ToolName, typeof TOOL.runWorkflow | typeof TOOL.cancelExecution | typeof TOOL.retryExecution | typeof TOOL.completeAsyncTask>;

/** The connection a progress message names; the call itself reports a wrong one. */
function on(services: LmServices, input: unknown): string {
  const name = (input as { connection?: unknown } | undefined)?.connection;
  try {
    return ` on ${resolveConnection(services, typeof name === 'string' ? name : undefined).name}`;
  } catch {
    return '';
  }
}

function field(input: unknown, key: string): string | undefined {
  const v = (input as Record<string, unknown> | undefined)?.[key];
  return typeof v === 'string' ? v : undefined;
}

/** A tool that reads one connection: parse the input, resolve the connection, answer with core's text. */
function readTool<N extends ReadToolName>(
  services: LmServices,
  name: N,
  progress: (input: unknown) => string,
  read: (input: ToolInput<N>, ctx: ReadContext) => Promise<string>,
): vscode.LanguageModelTool<unknown> {
  return {
    prepareInvocation: (options) => ({ invocationMessage: `${progress(options.input)}${on(services, options.input)}` }),
    invoke: (options, token) =>
      answer(services, name, token, async (signal, use) => {
        const input = parseToolInput(name, options.input);
        const target = await resolveTarget(services, input.connection);
        use(target.client);
        return read(input, readContext(target, answerBudget(options), signal));
      }),
  };
}

export function readTools(services: LmServices): Record<ReadToolName, vscode.LanguageModelTool<unknown>> {
  return {
    [TOOL.listWorkflows]: readTool(
      services,
      TOOL.listWorkflows,
      (i) => (field(i, 'version') ? `Reading ${field(i, 'workflowExternalId')} version ${field(i, 'version')}` : field(i, 'workflowExternalId') ? `Listing the versions of ${field(i, 'workflowExternalId')}` : 'Listing workflows'),
      listWorkflowsText,
    ),
    [TOOL.listExecutions]: readTool(services, TOOL.listExecutions, (i) => `Listing executions${field(i, 'workflowExternalId') ? ` of ${field(i, 'workflowExternalId')}` : ''}`, listExecutionsText),
    [TOOL.getExecution]: readTool(services, TOOL.getExecution, (i) => `Reading execution ${field(i, 'executionId') ?? ''}`, getExecutionText),
    [TOOL.getFunctionLogs]: readTool(services, TOOL.getFunctionLogs, (i) => `Reading function logs${field(i, 'taskExternalId') ? ` of ${field(i, 'taskExternalId')}` : ''}`, functionLogsText),
    [TOOL.explainFailure]: readTool(
      services,
      TOOL.explainFailure,
      (i) => `Explaining ${field(i, 'executionId') ? `execution ${field(i, 'executionId')}` : `the latest failure of ${field(i, 'workflowExternalId') ?? 'a workflow'}`}`,
      explainFailureText,
    ),
    [TOOL.checkDefinition]: checkDefinitionTool(services),
  };
}

/** Checks a workspace file, text, or a deployed version; only the last needs a connection. */
function checkDefinitionTool(services: LmServices): vscode.LanguageModelTool<unknown> {
  const name = TOOL.checkDefinition;
  // The schemas the build generates (dist/schemas), read on the first check rather than at activation.
  let schemas: SchemaSet | undefined;
  const schemaSet = () => (schemas ??= SchemaSet.load(path.join(services.context.extensionPath, 'dist', 'schemas')));
  return {
    prepareInvocation: (options) => ({
      invocationMessage: field(options.input, 'path')
        ? `Checking ${field(options.input, 'path')}`
        : field(options.input, 'workflowExternalId')
          ? `Checking ${field(options.input, 'workflowExternalId')} version ${field(options.input, 'version') ?? '?'}${on(services, options.input)}`
          : 'Checking a workflow definition',
    }),
    invoke: (options, token) =>
      answer(services, name, token, async (signal, use) => {
        const input = parseToolInput(name, options.input);
        const sources = [input.path !== undefined, input.text !== undefined, input.workflowExternalId !== undefined || input.version !== undefined].filter(Boolean).length;
        if (sources !== 1) {
          throw new InputError('Give exactly one definition to check: path (a workspace file), text (JSON), or workflowExternalId and version (a deployed version).');
        }
        const budget = answerBudget(options);
        if (input.path !== undefined) {
          const uri = await resolveWorkspaceFile(input.path);
          const text = await readText(uri);
          // A Toolkit file's {{ variables }} come from the environment the user selected for its project.
          const variables = /\.ya?ml$/i.test(uri.path) ? await services.definitions.environments.variablesFor(uri) : undefined;
          const source = { text, name: workspaceName(uri), fileName: uri.path, ...(variables ? { variables } : {}) };
          return fitToTokens((max) => checkDefinitionSource(source, schemaSet(), max), budget.maxTokens, budget.countTokens);
        }
        const inline = input.text;
        if (inline !== undefined) {
          const source = { text: inline, name: 'the text', fileName: inlineFileName(inline) };
          return fitToTokens((max) => checkDefinitionSource(source, schemaSet(), max), budget.maxTokens, budget.countTokens);
        }
        if (input.workflowExternalId === undefined || input.version === undefined) throw new InputError('A deployed version needs both workflowExternalId and version.');
        const target = await resolveTarget(services, input.connection);
        use(target.client);
        return checkVersionText(readContext(target, budget, signal), input.workflowExternalId, input.version);
      }),
  };
}
