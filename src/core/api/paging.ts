// Cursor paging: every list call returns one page; `paged` turns a page fetcher into an async iterator
// over items (or over pages), following nextCursor until it is absent.
import { CancelledError } from '../errors';
import { type Page } from '../schemas/common';

export type { Page };

export interface PagedList<T> extends AsyncIterable<T> {
  /** The same list, page by page. */
  pages(): AsyncIterable<Page<T>>;
}

export function paged<T>(fetchPage: (cursor: string | undefined) => Promise<Page<T>>, signal?: AbortSignal): PagedList<T> {
  async function* pages(): AsyncGenerator<Page<T>> {
    let cursor: string | undefined;
    do {
      if (signal?.aborted) throw new CancelledError();
      const page = await fetchPage(cursor);
      yield page;
      cursor = page.nextCursor;
    } while (cursor !== undefined);
  }
  return {
    pages,
    async *[Symbol.asyncIterator]() {
      for await (const page of pages()) yield* page.items;
    },
  };
}

/** Collects an async iterable into an array (stops early at `max` items). */
export async function collect<T>(items: AsyncIterable<T>, max = Number.POSITIVE_INFINITY): Promise<T[]> {
  const out: T[] = [];
  if (max <= 0) return out;
  for await (const item of items) {
    out.push(item);
    if (out.length >= max) break;
  }
  return out;
}
