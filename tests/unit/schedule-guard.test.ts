import { describe, expect, it } from 'vitest';
import { retryOnScheduleChange, ScheduleChanged } from '../../src/booking/schedule-guard.js';

/** Records which doctors' remembered schedules were dropped. */
const forgetting = () => {
  const forgotten: string[] = [];
  return { forgotten, forget: (doctorId: string) => void forgotten.push(doctorId) };
};

describe('retryOnScheduleChange', () => {
  it('drops the remembered schedule and runs the whole attempt again after a schedule change', async () => {
    const schedule = forgetting();
    let attempts = 0;
    const result = await retryOnScheduleChange(schedule, async () => {
      attempts++;
      if (attempts === 1) throw new ScheduleChanged('d1');
      return 'booked';
    });
    expect(result).toBe('booked');
    expect(attempts).toBe(2);
    expect(schedule.forgotten).toEqual(['d1']);
  });

  it('gives up with 409 conflict after three changes in a row', async () => {
    const schedule = forgetting();
    let attempts = 0;
    const outcome = retryOnScheduleChange(schedule, async () => {
      attempts++;
      throw new ScheduleChanged('d1');
    });
    await expect(outcome).rejects.toMatchObject({ code: 'conflict', status: 409 });
    expect(attempts).toBe(3);
  });

  it('hands any other error straight back, without retrying', async () => {
    const schedule = forgetting();
    let attempts = 0;
    const outcome = retryOnScheduleChange(schedule, async () => {
      attempts++;
      throw new Error('slot taken');
    });
    await expect(outcome).rejects.toThrow('slot taken');
    expect(attempts).toBe(1);
    expect(schedule.forgotten).toEqual([]);
  });
});
