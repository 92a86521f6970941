import { api } from './api.js';

/** A page of a list as the API answers it. */
export interface ListPage<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Every item of a paged list (`?limit=&cursor=`), following nextCursor; `maxPages` bounds it (100 items
 * a page). `path` may already carry a query.
 */
export async function fetchAll<T>(path: string, maxPages = 20): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < maxPages; page++) {
    const sep = path.includes('?') ? '&' : '?';
    const url = `${path}${sep}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const answer: ListPage<T> = await api<ListPage<T>>('GET', url);
    items.push(...answer.items);
    cursor = answer.nextCursor;
    if (!cursor) break;
  }
  return items;
}
