// Removing what a failed or replaced deploy leaves behind: an uploaded zip, an unused session, a function.
// Removal is best effort and never hides the error that made it necessary: what cannot be removed now is
// written to the journal and removed by the next deploy on the project. Removal runs without the deploy's
// abort signal, so cancelling a deploy still cleans up after it.
import { CdfApiError } from '../../errors';
import { type CdfClient } from '../../client';
import { type Logger } from '../../log';
import { type Leftover, type ProjectJournal } from './journal';

/** Deleting what is already gone is success. */
function isGone(error: unknown): boolean {
  return error instanceof CdfApiError && error.reason === 'not-found';
}

export async function removeLeftover(client: CdfClient, item: Leftover): Promise<void> {
  try {
    switch (item.kind) {
      case 'file': {
        const ref = item.id !== undefined ? { id: item.id } : item.externalId !== undefined ? { externalId: item.externalId } : undefined;
        if (!ref) return;
        const found = await client.files.retrieveMany([ref], { ignoreUnknownIds: true });
        if (found.length > 0) await client.files.delete(found.map((f) => ({ id: f.id })));
        return;
      }
      case 'function':
        await client.functions.delete([{ id: item.id }], { ignoreUnknownIds: true });
        return;
      case 'session':
        await client.sessions.revoke([item.id]);
        return;
    }
  } catch (error) {
    if (!isGone(error)) throw error;
  }
}

export function describeLeftover(item: Leftover): string {
  switch (item.kind) {
    case 'file':
      return `code file ${item.id ?? item.externalId ?? '?'}`;
    case 'function':
      return `function ${item.id}`;
    case 'session':
      return `session ${item.id}`;
  }
}

/** Removes one leftover now; when that fails, the journal keeps it for the next deploy. */
export async function removeOrRemember(client: CdfClient, journal: ProjectJournal, item: Leftover, logger: Logger): Promise<boolean> {
  try {
    await removeLeftover(client, item);
    await journal.removeLeftover(item);
    logger.info(`Schedule deploy: removed the ${describeLeftover(item)}.`);
    return true;
  } catch (error) {
    if (error instanceof CdfApiError && error.reason === 'forbidden') {
      // Retrying cannot help without the capability; say so once instead of carrying it forever.
      await journal.removeLeftover(item);
      logger.warn(`Schedule deploy: could not remove the ${describeLeftover(item)}: ${error.message}`);
      return false;
    }
    await journal.addLeftover(item);
    logger.warn(`Schedule deploy: could not remove the ${describeLeftover(item)} (${(error as Error).message}); the next deploy on this project removes it.`);
    return false;
  }
}

/** Removes every leftover the journal holds; returns how many are still there. */
export async function sweepLeftovers(client: CdfClient, journal: ProjectJournal, logger: Logger): Promise<number> {
  for (const item of [...journal.leftovers]) await removeOrRemember(client, journal, item, logger);
  return journal.leftovers.length;
}
