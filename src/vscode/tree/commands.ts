// Commands of the tree itself: refresh, load more, retry a failed load.
import { type CommandHandler } from '../boundary';
import { ErrorNode, LoadingNode, LoadMoreNode } from './node';
import { type Services } from '../services';
import { type WorkflowsTree } from './workflowsTree';

export function treeCommands(_s: Services, tree: WorkflowsTree): Record<string, CommandHandler> {
  return {
    'cdfWorkflows.refresh': (node?: unknown) => {
      if (node instanceof LoadingNode) node.refresh();
      else tree.refresh();
    },
    'cdfWorkflows.loadMore': async (node?: unknown) => {
      if (node instanceof LoadMoreNode) await node.parent.loadMore();
    },
    'cdfWorkflows.retryNode': (node?: unknown) => {
      if (node instanceof ErrorNode) node.parent.refresh();
    },
  };
}
