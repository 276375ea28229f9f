// The language-model tools: one object per tool contributed in package.json (languageModelTools), built
// here and registered with vscode.lm.registerTool by activate(). VS Code 1.100 activates the extension for
// a tool call on its own (it derives onLanguageModelTool:<name> from the contribution).
import * as vscode from 'vscode';
import { TOOL, type ToolName } from '../../core/lm';
import { type Services } from '../services';
import { readTools } from './readTools';
import { writeTools } from './writeTools';

export type LanguageModelTools = Readonly<Record<ToolName, vscode.LanguageModelTool<unknown>>>;

/** Builds every tool and registers it; the tools are returned for the extension-host tests. */
export function registerLanguageModelTools(services: Services): { tools: LanguageModelTools; disposables: vscode.Disposable[] } {
  const writes = writeTools(services);
  const tools: LanguageModelTools = { ...readTools(services), ...writes.tools };
  const disposables: vscode.Disposable[] = [writes];
  for (const name of Object.values(TOOL)) disposables.push(vscode.lm.registerTool(name, tools[name]));
  return { tools, disposables };
}
