// The status filter of the executions under every version node, remembered per workspace.
import * as vscode from 'vscode';
import { type ExecutionStatus, RETRYABLE_EXECUTION_STATUSES } from '../../core/schemas/executions';

export type ExecutionFilterId = 'all' | 'running' | 'completed' | 'failed' | 'timedOut' | 'terminated' | 'notCompleted';

export interface ExecutionFilterOption {
  readonly id: ExecutionFilterId;
  readonly label: string;
  readonly detail: string;
  /** Sent as filter.status; undefined for all. */
  readonly statuses?: readonly ExecutionStatus[];
  /** What an empty version says under this filter. */
  readonly empty: string;
}

export const EXECUTION_FILTERS: readonly ExecutionFilterOption[] = [
  { id: 'all', label: 'All', detail: 'Every execution', empty: 'No executions yet' },
  { id: 'running', label: 'Running', detail: 'Executions that have not ended', statuses: ['RUNNING'], empty: 'No running executions' },
  { id: 'completed', label: 'Completed', detail: 'Executions that succeeded', statuses: ['COMPLETED'], empty: 'No completed executions' },
  { id: 'failed', label: 'Failed', detail: 'Executions where a task failed', statuses: ['FAILED'], empty: 'No failed executions' },
  { id: 'timedOut', label: 'Timed out', detail: 'Executions that ran too long', statuses: ['TIMED_OUT'], empty: 'No timed-out executions' },
  { id: 'terminated', label: 'Terminated', detail: 'Executions that were cancelled', statuses: ['TERMINATED'], empty: 'No terminated executions' },
  {
    id: 'notCompleted',
    label: 'Not completed',
    detail: 'Failed, timed out or terminated',
    statuses: RETRYABLE_EXECUTION_STATUSES,
    empty: 'No failed, timed-out or terminated executions',
  },
];

const STATE_KEY = 'cdfWorkflows.executionFilter';

export class ExecutionFilterState implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<ExecutionFilterOption>();
  readonly onDidChange = this.emitter.event;

  constructor(private readonly memento: vscode.Memento) {}

  get current(): ExecutionFilterOption {
    const id = this.memento.get<string>(STATE_KEY);
    return EXECUTION_FILTERS.find(f => f.id === id) ?? EXECUTION_FILTERS[0];
  }

  async set(id: ExecutionFilterId): Promise<void> {
    const option = EXECUTION_FILTERS.find(f => f.id === id);
    if (!option) throw new Error(`Unknown execution filter "${id}"`);
    if (option.id === this.current.id) return;
    await this.memento.update(STATE_KEY, option.id === 'all' ? undefined : option.id);
    this.emitter.fire(option);
  }

  /** Shown as the view's description: "Failed only"; nothing while every execution is shown. */
  get description(): string | undefined {
    const c = this.current;
    return c.id === 'all' ? undefined : `${c.label} only`;
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
