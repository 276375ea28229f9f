// Commands of schedules: the wizard (palette, workflow and version nodes, JSON files) and the actions on
// the schedule and trigger nodes of the tree.
import * as vscode from 'vscode';
import { InputError } from '../../core/errors';
import { type CommandHandler } from '../boundary';
import { type Services } from '../services';
import { deleteScheduleOrTrigger, runScheduleNow, runTriggerNow, scheduleTargetOf, setTriggerPaused, triggerTargetOf } from './actions';
import { type ScheduleWizardStart } from './context';
import { runScheduleWizard } from './wizard';

export function scheduleCommands(services: Services): Record<string, CommandHandler> {
  return {
    'cdfWorkflows.scheduleWorkflow': (arg?: unknown) => runScheduleWizard(services, startOf(arg)),
    'cdfWorkflows.runScheduleNow': (node?: unknown) => {
      const schedule = scheduleTargetOf(node);
      if (schedule) return runScheduleNow(services, schedule);
      const trigger = triggerTargetOf(node);
      if (trigger) return runTriggerNow(services, trigger);
      throw notFromTree('Run Now');
    },
    'cdfWorkflows.editSchedule': (node?: unknown) => {
      const schedule = scheduleTargetOf(node);
      if (schedule) {
        const s = schedule.schedule;
        return runScheduleWizard(services, {
          connection: schedule.connection,
          edit: { kind: 'function', scheduleId: s.id, name: s.name, cronExpression: s.cronExpression, data: schedule.data },
        });
      }
      const trigger = triggerTargetOf(node);
      if (trigger) return runScheduleWizard(services, { connection: trigger.connection, edit: { kind: 'native', trigger: trigger.trigger } });
      throw notFromTree('Edit Schedule');
    },
    'cdfWorkflows.deleteSchedule': (node?: unknown) => {
      const target = scheduleTargetOf(node) ?? triggerTargetOf(node);
      if (!target) throw notFromTree('Delete Schedule');
      return deleteScheduleOrTrigger(services, target);
    },
    'cdfWorkflows.pauseTrigger': (node?: unknown) => {
      const trigger = triggerTargetOf(node);
      if (!trigger) throw notFromTree('Pause Trigger');
      return setTriggerPaused(services, trigger, true);
    },
    'cdfWorkflows.resumeTrigger': (node?: unknown) => {
      const trigger = triggerTargetOf(node);
      if (!trigger) throw notFromTree('Resume Trigger');
      return setTriggerPaused(services, trigger, false);
    },
  };
}

/** What the command was started on: a JSON file (explorer, editor), a workflow or version node, or nothing. */
export function startOf(arg: unknown): ScheduleWizardStart {
  if (arg instanceof vscode.Uri) return { inputFile: arg };
  if (typeof arg !== 'object' || arg === null) return {};
  const n = arg as { connection?: unknown; workflow?: { externalId?: unknown }; version?: { workflowExternalId?: unknown; version?: unknown }; parent?: { connection?: unknown } };
  const connection = typeof n.connection === 'string' ? n.connection : typeof n.parent?.connection === 'string' ? n.parent.connection : undefined;
  if (n.version && typeof n.version.workflowExternalId === 'string' && typeof n.version.version === 'string') {
    return { ...(connection ? { connection } : {}), workflowExternalId: n.version.workflowExternalId, version: n.version.version };
  }
  if (n.workflow && typeof n.workflow.externalId === 'string') return { ...(connection ? { connection } : {}), workflowExternalId: n.workflow.externalId };
  return {};
}

function notFromTree(action: string): InputError {
  return new InputError(`${action} works on a schedule or trigger in the CDF Workflows view: right-click one there.`);
}
