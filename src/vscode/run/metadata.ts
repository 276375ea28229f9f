// The optional run metadata the user types as `key=value, key2=value2`. CDF allows 10 entries, and the
// client adds its run id (the no-duplicate check) as one of them, so the user gets 9. The limits and how
// they are counted come from core, the same ones the client checks before it sends.
import { InputError } from '../../core/errors';
import { checkUserRunMetadataEntries, parseRunMetadata, RUN_METADATA_LIMITS, RUN_METADATA_USER_ENTRIES, validateUserRunMetadata } from '../../core/run';
import { type StepInfo, type UserInput } from '../ui';

/** Parses and checks the typed metadata; throws InputError that names the problem and the fix. */
export function parseUserMetadata(text: string): Record<string, string> {
  // Too many entries is said first, before a problem inside one of them.
  checkUserRunMetadataEntries(countEntries(text));
  const meta = parseRunMetadata(text);
  validateUserRunMetadata(meta);
  return meta;
}

/** The metadata input box, prefilled with what was used last with the file, validated as the user types. */
export async function promptMetadata(ui: UserInput, step: StepInfo, previous: string): Promise<{ text: string; metadata: Record<string, string> }> {
  const text = await ui.input({
    ...step,
    prompt: `Run metadata (optional): key=value pairs separated by commas, at most ${RUN_METADATA_USER_ENTRIES} (the extension adds its run id as the ${RUN_METADATA_LIMITS.maxEntries}th). Press Enter to run.`,
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
