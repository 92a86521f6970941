import { describe, expect, it } from 'vitest';
import { OUTBOX_CHANNEL } from '../../src/events/outbox.js';
import { useTestHub } from '../helpers/harness.js';

/**
 * During a rolling deploy, hub processes of the previous release still call append_events(events,
 * channel), which NOTIFYed inside the transaction. migrations/0010 keeps that form working.
 */
describe('the outbox as the previous release writes to it', () => {
  const hub = useTestHub();

  it('appends the events and wakes the relay', async () => {
    const room = `slots:${crypto.randomUUID()}`;
    let heard!: () => void;
    const notified = new Promise<void>((resolve) => {
      heard = resolve;
    });
    const listening = await hub.sql.listen(OUTBOX_CHANNEL, () => heard());
    try {
      await hub.sql.begin(async (tx) => {
        await tx`select append_events(${tx.json([{ room, type: 'availability.changed', data: { doctorId: 'x' } }] as never)}, ${OUTBOX_CHANNEL})`;
      });
      await notified;
      const rows = await hub.sql<{ type: string }[]>`select type from events where room = ${room}`;
      expect(rows).toEqual([{ type: 'availability.changed' }]);
    } finally {
      await listening.unlisten();
    }
  });
});
