// The language-model tools: one object per tool contributed in package.json (languageModelTools), built and
// registered with vscode.lm.registerTool here. VS Code 1.100 activates the extension for a tool call on its
// own (it derives onLanguageModelTool:<name> from the contribution).
import * as vscode from 'vscode';
import { TOOL, type ToolName } from '../../core/lm';
import { DisposableBase } from '../lifecycle';
import { readTools } from './readTools';
import { type LmServices } from './support';
import { writeTools } from './writeTools';

export class LanguageModelTools extends DisposableBase {
  /** Each tool as registered (the extension-host tests call prepareInvocation on them directly). */
  readonly tools: Readonly<Record<ToolName, vscode.LanguageModelTool<unknown>>>;

  constructor(services: LmServices) {
    super();
    this.tools = { ...readTools(services), ...writeTools(services) };
    for (const name of Object.values(TOOL)) this.register(vscode.lm.registerTool(name, this.tools[name]));
  }
}
