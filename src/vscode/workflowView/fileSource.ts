// The source of a definition file's view: what WorkflowViews needs of it. The implementation reads the
// definitions' document model (parsed with source ranges) and the editor's diagnostics.
import type * as vscode from 'vscode';
import { type ViewSource } from './sources';

export interface FileSourceFactory {
  create(uri: vscode.Uri): ViewSource;
  /** True for the sources this factory made. */
  owns(source: ViewSource): boolean;
  /** Shows the task of a node in its file and selects it. */
  reveal(source: ViewSource, nodeId: string): Promise<unknown>;
}
