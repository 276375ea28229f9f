// Completing async function tasks (REFERENCE §2.5, POST /workflows/tasks/{taskId}/update).
import { type CdfHttp } from '../http/cdfHttp';
import { InputError } from '../errors';
import { type TaskExecution, taskExecution, TASK_UPDATE_STATUSES, type TaskUpdateStatus } from '../schemas/tasks';
import { CAPABILITY } from './capabilities';
import { type CallContext, segment } from './requests';

export class TasksApi {
  constructor(private readonly http: CdfHttp) {}

  /** Completes or fails an IN_PROGRESS task with isAsyncComplete; `output` is merged into its output. */
  update(taskId: string, status: TaskUpdateStatus, options: CallContext & { output?: Record<string, unknown> } = {}): Promise<TaskExecution> {
    const upper = status.toUpperCase() as TaskUpdateStatus;
    if (!TASK_UPDATE_STATUSES.includes(upper)) {
      throw new InputError(`Task status "${status}" cannot be set; use one of ${TASK_UPDATE_STATUSES.join(', ')}.`);
    }
    return this.http.post(`/workflows/tasks/${segment(taskId)}/update`, {
      schema: taskExecution,
      body: options.output === undefined ? { status: upper } : { status: upper, output: options.output },
      idempotent: true,
      capability: CAPABILITY.workflowsWrite,
      subject: `Task execution ${taskId}`,
      signal: options.signal,
    });
  }
}
