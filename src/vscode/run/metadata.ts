// The optional run metadata the user types as `key=value, key2=value2`. CDF allows 10 entries, and the
// client adds its run id (the no-duplicate check) as one of them, so the user gets 9.
import { InputError } from '../../core/errors';
import { checkUserRunMetadata, parseRunMetadata, RUN_METADATA_LIMITS, tooManyUserMetadataEntries, USER_RUN_METADATA_MAX_ENTRIES } from '../../core/run';
import { type StepInfo, type UserInput } from '../ui';

export const USER_METADATA_MAX_ENTRIES = USER_RUN_METADATA_MAX_ENTRIES;

/** Parses and checks the typed metadata; throws InputError that names the problem and the fix. */
export function parseUserMetadata(text: string): Record<string, string> {
  // Counted before parsing: the parser's own limit (CDF's 10) would otherwise answer first.
  const entries = countEntries(text);
  if (entries > USER_METADATA_MAX_ENTRIES) throw tooManyUserMetadataEntries(entries);
  return checkUserRunMetadata(parseRunMetadata(text));
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
