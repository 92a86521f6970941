import type { Principal } from '../auth/principal.js';
import type { ErrorCode } from '../errors.js';
import type { Db } from '../infra/postgres.js';
import type { DisplaySession } from './socket-types.js';

/** Refusal codes in `{ ok: false, code }` acks, from the one table of error codes. */
export type RoomRefusal = Extract<ErrorCode, 'unknown_room' | 'unauthorized' | 'forbidden'>;

const ROOM =
  /^(slots|doctor|user|queue|display):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export function parseRoom(
  room: string,
): { kind: 'slots' | 'doctor' | 'user' | 'queue' | 'display'; id: string } | undefined {
  const m = ROOM.exec(room);
  return m ? { kind: m[1] as 'slots', id: m[2]! } : undefined;
}

/** Public rooms carry no names or contact details; anyone may join them. */
export const isPublicRoom = (room: string) => room.startsWith('slots:');

/** Every socket of one refresh family (session) is in this room, never joinable by a client. */
export const sessionRoom = (familyId: string) => `session:${familyId}`;
/** A server-side room of one display token's sockets (not a room clients can name), to cut them at once. */
export const displayTokenRoom = (tokenId: string) => `display-token:${tokenId}`;
/**
 * The rooms above: the server's handles on a socket, not a subscription. A socket that loses its
 * private rooms (a revoked session) stays in them, so the cut that follows still finds it.
 */
export const isServerRoom = (room: string) =>
  room.startsWith('session:') || room.startsWith('display-token:');

/**
 * Who may join which room (docs/architecture.md, "Rooms"): slots:* anyone; doctor:<id> that doctor or an
 * admin; user:<id> that user only; queue:<clinic> that clinic's staff or an admin; display:<clinic> the
 * same, or a display token of that clinic (which opens nothing else).
 */
export async function mayJoin(
  db: Db,
  principal: Principal | undefined,
  room: string,
  display?: DisplaySession,
): Promise<true | RoomRefusal> {
  const parsed = parseRoom(room);
  if (!parsed) return 'unknown_room';
  // A display token opens its clinic's display room and nothing else, public rooms included.
  if (display) return parsed.kind === 'display' && parsed.id === display.clinicId ? true : 'forbidden';
  if (parsed.kind === 'slots') return true;
  if (!principal) return 'unauthorized';
  // A user's own room carries their private notices: nobody else, admins included, listens in.
  if (parsed.kind === 'user') return principal.userId === parsed.id ? true : 'forbidden';
  if (principal.role === 'admin') return true;
  switch (parsed.kind) {
    case 'doctor': {
      if (principal.role !== 'doctor') return 'forbidden';
      const [row] = await db<{ ok: boolean }[]>`
        select exists (select 1 from doctors where id = ${parsed.id} and user_id = ${principal.userId}) as ok`;
      return row?.ok ? true : 'forbidden';
    }
    case 'queue':
    case 'display':
      return principal.role === 'staff' && principal.clinicId === parsed.id ? true : 'forbidden';
  }
}
