// Names the wizard proposes and checks: schedule names, trigger external ids, the trigger function's
// external id and its code file. Limits from REFERENCE §2.6 and §4.2-§4.6.
import { InputError } from '../../errors';

export const SCHEDULE_NAME_MAX = 140;
export const EXTERNAL_ID_MAX = 255;

/** `Scheduled trigger: <workflow>@<version>`, shortened to the 140 characters a schedule name may have. */
export function defaultScheduleName(workflowExternalId: string, version: string): string {
  return clip(`Scheduled trigger: ${workflowExternalId}@${version}`, SCHEDULE_NAME_MAX);
}

/** `<workflow>-<version>-schedule`, shortened to 255 characters. */
export function defaultTriggerExternalId(workflowExternalId: string, version: string): string {
  const suffix = `-${version}-schedule`;
  return `${clip(workflowExternalId, EXTERNAL_ID_MAX - suffix.length)}${suffix}`.slice(0, EXTERNAL_ID_MAX);
}

/** A function schedule's name: 1-140 characters, no leading or trailing blanks (it identifies the schedule). */
export function checkScheduleName(name: string): string {
  const value = typeof name === 'string' ? name.trim() : '';
  if (value === '') throw new InputError('The schedule name is empty; give the schedule a name, e.g. "Nightly sync".');
  if ([...value].length > SCHEDULE_NAME_MAX) {
    throw new InputError(`The schedule name has ${[...value].length} characters; CDF allows at most ${SCHEDULE_NAME_MAX}. Shorten it.`);
  }
  return value;
}

/** An external id (trigger or function): 1-255 characters without surrounding blanks. */
export function checkExternalId(externalId: string, what: 'trigger' | 'function'): string {
  const value = typeof externalId === 'string' ? externalId : '';
  if (value.trim() === '') throw new InputError(`The ${what} external id is empty; give it one, e.g. "daily-sync-1-schedule".`);
  if (value !== value.trim()) throw new InputError(`The ${what} external id "${value}" starts or ends with a blank; remove it.`);
  if ([...value].length > EXTERNAL_ID_MAX) {
    throw new InputError(`The ${what} external id has ${[...value].length} characters; CDF allows at most ${EXTERNAL_ID_MAX}. Shorten it.`);
  }
  return value;
}

/**
 * External id of the zip a trigger function is built from. It names the function and the configuration
 * (handler, credentials, settings), so a leftover upload of the same build is found and overwritten
 * instead of piling up, while the zip of the function being replaced keeps its own name.
 */
export function codeFileExternalId(functionExternalId: string, configHash: string): string {
  const suffix = `-${configHash.slice(0, 16)}.zip`;
  return `${clip(functionExternalId, EXTERNAL_ID_MAX - suffix.length)}${suffix}`;
}

function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : chars.slice(0, max).join('');
}
