import * as v from 'valibot';
import { validationFailed } from '../errors.js';

/** `?limit=&cursor=` of every list, parsed like any other query. */
export const Pagination = {
  limit: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,3}$/, 'must be a whole number from 1 to 100'),
      v.transform(Number),
      v.minValue(1),
      v.maxValue(100),
    ),
    '20',
  ),
  cursor: v.optional(
    v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,200}$/, 'must be a cursor from nextCursor')),
  ),
};

/** Offset cursors: opaque to clients, stable for a given filter and order. */
export function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): number {
  if (!cursor) return 0;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      parsed &&
      typeof parsed === 'object' &&
      'o' in parsed &&
      Number.isSafeInteger(parsed.o) &&
      (parsed.o as number) >= 0
    ) {
      return parsed.o as number;
    }
  } catch {
    // not base64url JSON: refused below like any other foreign cursor
  }
  throw validationFailed([{ path: 'query.cursor', message: 'must be a cursor from nextCursor' }]);
}
