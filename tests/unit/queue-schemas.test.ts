import { randomUUID } from 'node:crypto';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import {
  DelayBody,
  DisplayTokenBody,
  DisplayTokenString,
  QueueQuery,
  RoomBody,
  WalkInBody,
} from '../../src/queue/queue.schemas.js';
import { newDisplayToken } from '../../src/queue/tickets.js';

const ok = (schema: v.GenericSchema, input: unknown) => v.safeParse(schema, input).success;

describe('queue request bodies', () => {
  const doctorId = randomUUID();

  it('walk-in: a known patient or one registered now, never both or neither', () => {
    expect(ok(WalkInBody, { doctorId, patientId: randomUUID() })).toBe(true);
    expect(ok(WalkInBody, { doctorId, patient: { name: 'Walk In' }, reason: 'Cough' })).toBe(true);
    expect(
      v.parse(WalkInBody, {
        doctorId,
        patient: { name: ' Walk In ', email: ' W@Example.com ', phone: '+49 30 123456' },
      }),
    ).toEqual({ doctorId, patient: { name: 'Walk In', email: 'w@example.com', phone: '+49 30 123456' } });
    expect(ok(WalkInBody, { doctorId })).toBe(false);
    expect(ok(WalkInBody, { doctorId, patientId: randomUUID(), patient: { name: 'Both' } })).toBe(false);
    expect(ok(WalkInBody, { doctorId, patient: { name: '' } })).toBe(false);
    expect(ok(WalkInBody, { doctorId, patient: { name: 'X', email: 'not-an-email' } })).toBe(false);
    expect(ok(WalkInBody, { doctorId: 'nope', patientId: randomUUID() })).toBe(false);
  });

  it('delay: whole minutes from 0 to 240 with an optional note', () => {
    expect(v.parse(DelayBody, { minutes: 0 })).toEqual({ minutes: 0 });
    expect(v.parse(DelayBody, { minutes: 240, note: ' Emergency ' })).toEqual({
      minutes: 240,
      note: 'Emergency',
    });
    for (const minutes of [-1, 241, 10.5, '10', null]) expect(ok(DelayBody, { minutes })).toBe(false);
    expect(ok(DelayBody, { minutes: 10, note: 'x'.repeat(501) })).toBe(false);
  });

  it('room, display token label, queue date and presented token', () => {
    expect(v.parse(RoomBody, { room: ' Room 4 ' })).toEqual({ room: 'Room 4' });
    expect(ok(RoomBody, { room: null })).toBe(true);
    expect(ok(RoomBody, { room: '' })).toBe(false);
    expect(ok(DisplayTokenBody, { label: 'Lobby screen' })).toBe(true);
    expect(ok(DisplayTokenBody, { label: '  ' })).toBe(false);
    expect(ok(QueueQuery, {})).toBe(true);
    expect(ok(QueueQuery, { date: '2026-02-30' })).toBe(false);
    expect(ok(DisplayTokenString, newDisplayToken().token)).toBe(true);
    expect(ok(DisplayTokenString, "' or 1=1 --")).toBe(false);
  });
});
