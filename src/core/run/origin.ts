// What started an execution, read from its metadata. CDF copies a trigger's metadata to every execution
// it starts, and the trigger function passes a schedule's metadata to its run, so the schedule wizard
// names the trigger or schedule there; runs from this extension carry its run id. Executions started
// elsewhere say nothing unless their metadata has a `startedBy` (or `triggeredBy`) entry.
import { RUN_ID_METADATA_KEY } from '../api/runReconcile';

/** Metadata key naming the native trigger that started an execution (set on triggers the wizard makes). */
export const TRIGGER_METADATA_KEY = 'cdf-workflows:trigger';
/** Metadata key naming the function schedule that started an execution (in the schedule's data). */
export const SCHEDULE_METADATA_KEY = 'cdf-workflows:schedule';

export type ExecutionOrigin =
  | { readonly kind: 'trigger'; readonly name: string }
  | { readonly kind: 'schedule'; readonly name: string }
  | { readonly kind: 'extension' }
  | { readonly kind: 'other'; readonly text: string };

export function executionOrigin(metadata: Readonly<Record<string, string>> | null | undefined): ExecutionOrigin | undefined {
  if (!metadata) return undefined;
  const trigger = metadata[TRIGGER_METADATA_KEY];
  if (trigger) return { kind: 'trigger', name: trigger };
  const schedule = metadata[SCHEDULE_METADATA_KEY];
  if (schedule) return { kind: 'schedule', name: schedule };
  if (metadata[RUN_ID_METADATA_KEY]) return { kind: 'extension' };
  const other = metadata['startedBy'] ?? metadata['triggeredBy'];
  return other ? { kind: 'other', text: other } : undefined;
}

/** A few words for a tree row: "trigger nightly", "schedule daily 06:15", "run from VS Code". */
export function describeOrigin(origin: ExecutionOrigin): string {
  switch (origin.kind) {
    case 'trigger':
      return `trigger ${origin.name}`;
    case 'schedule':
      return `schedule ${origin.name}`;
    case 'extension':
      return 'run from VS Code';
    case 'other':
      return `started by ${origin.text}`;
  }
}

/** A sentence for a tooltip or a document: "Started by the trigger nightly." */
export function originSentence(origin: ExecutionOrigin): string {
  switch (origin.kind) {
    case 'trigger':
      return `Started by the trigger ${origin.name}.`;
    case 'schedule':
      return `Started by the function schedule ${origin.name}.`;
    case 'extension':
      return 'Run from VS Code (CDF Workflows).';
    case 'other':
      return `Started by ${origin.text} (metadata).`;
  }
}
