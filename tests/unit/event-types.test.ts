import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type EventData,
  type EventType,
  type LiveEvent,
  message,
  type RoomMessage,
} from '../../src/events/event-types.js';
import type { HubClientOptions } from '../../src/realtime/client.js';
import type { ServerToClientEvents } from '../../src/realtime/socket-types.js';

// Type-level: `npm run typecheck` (tsc over tests/) is what checks these; expectTypeOf does nothing at run time.

describe('LiveEvent', () => {
  it('is a discriminated union: switching on type narrows data to that event’s schema', () => {
    const describeEvent = (event: LiveEvent): string => {
      // @ts-expect-error: before narrowing, data is any of the types' data
      void event.data.expiresAt;
      switch (event.type) {
        case 'slot.held':
          expectTypeOf(event).toEqualTypeOf<LiveEvent<'slot.held'>>();
          expectTypeOf(event.data).toEqualTypeOf<EventData<'slot.held'>>();
          return `held until ${event.data.expiresAt}`;
        case 'slot.released':
        case 'slot.booked':
        case 'slot.freed':
          expectTypeOf(event.data).toEqualTypeOf<{ doctorId: string; start: string; end: string }>();
          return event.data.start;
        case 'appointment.cancelled':
          expectTypeOf(event.data.cancelledBy).toBeString();
          return event.data.patient.name;
        case 'appointment.rescheduled':
          return event.data.previous.start;
        case 'appointment.status_changed':
          return `${event.data.from} → ${event.data.to}`;
        case 'notification.created':
          expectTypeOf(event.data.data).toEqualTypeOf<{ [key: string]: unknown }>();
          return event.data.title;
        case 'waitlist.offered':
          return event.data.expiresAt;
        case 'waitlist.closed':
          expectTypeOf(event.data.status).toEqualTypeOf<'accepted' | 'lapsed' | 'declined' | 'withdrawn'>();
          return event.data.status;
        case 'queue.updated':
          return 'display' in event.data ? event.data.display.date : event.data.doctor.name;
        case 'availability.changed':
        case 'appointment.booked':
          return event.type;
        default:
          // Every type is handled above.
          expectTypeOf(event).toBeNever();
          return event;
      }
    };
    expect(
      describeEvent({
        id: null,
        type: 'slot.held',
        room: 'slots:x',
        occurredAt: '2030-01-01T09:00:00.000Z',
        data: { doctorId: 'd', start: 's', end: 'e', expiresAt: 'soon' },
      }),
    ).toBe('held until soon');
  });

  it('has one member per event type, and a member’s type and data cannot be mixed', () => {
    expectTypeOf<LiveEvent['type']>().toEqualTypeOf<EventType>();
    expectTypeOf<Extract<LiveEvent, { type: 'availability.changed' }>['data']>().toEqualTypeOf<{
      doctorId: string;
    }>();
    const mixed = {
      id: 1,
      type: 'availability.changed' as const,
      room: 'slots:x',
      occurredAt: '2030-01-01T09:00:00.000Z',
      data: { doctorId: 'd', start: 's', end: 'e', expiresAt: 'soon' },
    };
    // @ts-expect-error: slot.held data under another type
    const wrong: LiveEvent<'slot.held'> = mixed;
    void wrong;
  });

  it('is what the Socket.IO contract and HubClient hand out', () => {
    expectTypeOf<Parameters<ServerToClientEvents['event']>[0]>().toEqualTypeOf<LiveEvent>();
    expectTypeOf<Parameters<HubClientOptions['onEvent']>[0]>().toEqualTypeOf<LiveEvent>();
  });
});

describe('message', () => {
  it('keeps its signature, returns the member of its type, and fits a list of any messages', () => {
    const m = message('slots:x', 'slot.booked', { doctorId: 'd', start: 's', end: 'e' });
    expectTypeOf(m).toEqualTypeOf<RoomMessage<'slot.booked'>>();
    expectTypeOf(m.data).toEqualTypeOf<EventData<'slot.booked'>>();
    const all: RoomMessage[] = [m];
    expect(all).toEqual([
      { room: 'slots:x', type: 'slot.booked', data: { doctorId: 'd', start: 's', end: 'e' } },
    ]);
    // @ts-expect-error: availability.changed carries only doctorId
    expect(() => message('slots:x', 'availability.changed', { start: 's' })).toThrow();
  });
});
