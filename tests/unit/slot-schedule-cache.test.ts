import { describe, expect, it } from 'vitest';
import { type SlotSchedule, SlotScheduleCache } from '../../src/schedule/slot-schedule-cache.js';

/** A schedule that differs only by its version, which is all the cache's bookkeeping can be told by. */
const scheduleAt = (scheduleVersion: number): SlotSchedule => ({
  doctorId: 'd1',
  userId: 'u1',
  clinicId: 'c1',
  timezone: 'UTC',
  bufferMinutes: 0,
  minNoticeMinutes: 0,
  horizonDays: 90,
  types: [],
  rules: [],
  scheduleVersion,
  timeOff: [],
});

/** A loader the test answers by hand: each call waits until `answer` resolves it with the version now in force. */
function manualLoader() {
  const waiting: ((s: SlotSchedule) => void)[] = [];
  let version = 1;
  return {
    calls: () => waiting.length,
    change: () => {
      version++;
    },
    answerNext: (readVersion = version) => waiting.shift()!(scheduleAt(readVersion)),
    load: (): Promise<SlotSchedule> => new Promise((resolve) => waiting.push(resolve)),
  };
}

describe('SlotScheduleCache', () => {
  it('loads once for concurrent callers, then answers from memory', async () => {
    const loader = manualLoader();
    const cache = new SlotScheduleCache(loader.load);
    const both = Promise.all([cache.get('d1'), cache.get('d1')]);
    expect(loader.calls()).toBe(1);
    loader.answerNext();
    const [a, b] = await both;
    expect([a.fromMemory, b.fromMemory]).toEqual([false, false]);
    const again = await cache.get('d1');
    expect(again).toMatchObject({ fromMemory: true, schedule: { scheduleVersion: 1 } });
  });

  it('after forget, neither joins nor keeps a load that started before it', async () => {
    const loader = manualLoader();
    const cache = new SlotScheduleCache(loader.load);
    const early = cache.get('d1'); // reads version 1 ...
    loader.change(); // ... while the schedule changes to 2,
    cache.forget('d1'); // and the change is announced before that read comes back.
    const late = cache.get('d1');
    expect(loader.calls()).toBe(2);
    loader.answerNext(1);
    loader.answerNext(2);
    expect((await early).schedule.scheduleVersion).toBe(1);
    expect((await late).schedule.scheduleVersion).toBe(2);
    // Only the load that began after the forget is remembered.
    expect(await cache.get('d1')).toMatchObject({ fromMemory: true, schedule: { scheduleVersion: 2 } });
  });

  it('answers 404 for a doctor the loader does not know', async () => {
    const cache = new SlotScheduleCache(async () => undefined);
    await expect(cache.get('nobody')).rejects.toMatchObject({ code: 'not_found' });
  });
});
