// Commands of the tree itself: refresh (view title or one node), load more, retry a failed load, and the
// status filter of the executions.
import { type CommandHandler } from '../boundary';
import { type Services } from '../services';
import { EXECUTION_FILTERS, type ExecutionFilterId } from './executionFilter';
import { ErrorNode, LoadingNode, LoadMoreNode } from './node';

export function treeCommands(s: Services): Record<string, CommandHandler> {
  const tree = s.tree;
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
    'cdfWorkflows.filterExecutions': async () => {
      const current = tree.filter.current;
      const id = await s.ui().pick<ExecutionFilterId>({
        title: 'Filter Executions by Status',
        placeholder: `Executions to show under every version (now: ${current.label})`,
        items: EXECUTION_FILTERS.map(f => ({ label: f.label, detail: f.detail, description: f.id === current.id ? 'current' : undefined, value: f.id })),
        active: item => item.value === current.id,
      });
      await tree.filter.set(id);
    },
    'cdfWorkflows.clearExecutionFilter': async () => {
      await tree.filter.set('all');
    },
  };
}
