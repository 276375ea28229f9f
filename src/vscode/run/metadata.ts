// The optional run metadata the user types as `key=value, key2=value2`. CDF allows 10 entries, and the
// client adds its run id (the no-duplicate check) as one of them, so the user gets 9.
import { RUN_ID_METADATA_KEY } from '../../core/api/runReconcile';
import { InputError } from '../../core/errors';
import { parseRunMetadata, RUN_METADATA_LIMITS } from '../../core/run';
import { type StepInfo, type UserInput } from '../ui';

export const USER_METADATA_MAX_ENTRIES = RUN_METADATA_LIMITS.maxEntries - 1;

/** Parses and checks the typed metadata; throws InputError that names the problem and the fix. */
export function parseUserMetadata(text: string): Record<string, string> {
  const entries = countEntries(text);
  if (entries > USER_METADATA_MAX_ENTRIES) {
    throw new InputError(
      `Run metadata has ${entries} entries; at most ${USER_METADATA_MAX_ENTRIES} are allowed: CDF allows ${RUN_METADATA_LIMITS.maxEntries} ` +
        `and the extension adds its run id (${RUN_ID_METADATA_KEY}) as one of them. Remove ${entries - USER_METADATA_MAX_ENTRIES}.`,
    );
  }
  const meta = parseRunMetadata(text);
  if (Object.hasOwn(meta, RUN_ID_METADATA_KEY)) {
    throw new InputError(`Run metadata key "${RUN_ID_METADATA_KEY}" is reserved: the extension sets it to find the run again. Use another key.`);
  }
  return meta;
}

/** The metadata input box, prefilled with what was used last with the file, validated as the user types. */
export async function promptMetadata(ui: UserInput, step: StepInfo, previous: string): Promise<{ text: string; metadata: Record<string, string> }> {
  const text = await ui.input({
    ...step,
    prompt: `Run metadata (optional): key=value pairs separated by commas, at most ${USER_METADATA_MAX_ENTRIES} (the extension adds its run id as the ${RUN_METADATA_LIMITS.maxEntries}th). Press Enter to run.`,
    placeholder: 'key=value, key2=value2 (optional)',
    value: previous,
    validate: v => {
      try {
        parseUserMetadata(v);
        return undefined;
      } catch (e) {
        if (e instanceof InputError) return e.message;
        throw e;
      }
    },
  });
  return { text: text.trim(), metadata: parseUserMetadata(text) };
}

/** Entries the text would give: commas not escaped with a backslash separate them (as in parseRunMetadata). */
function countEntries(text: string): number {
  if (text.trim() === '') return 0;
  let count = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (ch === '\\') i++;
    else if (ch === ',') count++;
  }
  return count;
}
