import { describe, expect, it } from 'vitest';
import { retryOnScheduleChange, ScheduleChanged } from '../../src/booking/schedule-guard.js';

/** Records which doctors' remembered schedules were dropped. */
const forgetting = () => {
  const forgotten: string[] = [];
  return { forgotten, forget: (doctorId: string) => void forgotten.push(doctorId) };
};

/** An attempt that counts its runs; `each` gets the run's number (from 1) and does what that run does. */
const counted = <T>(each: (run: number) => T) => {
  const attempt = { runs: 0, run: async () => each(++attempt.runs) };
  return attempt;
};

describe('retryOnScheduleChange', () => {
  it('drops the remembered schedule and runs the whole attempt again after a schedule change', async () => {
    const schedule = forgetting();
    const attempt = counted((run) => {
      if (run === 1) throw new ScheduleChanged('d1');
      return 'booked';
    });
    const result = await retryOnScheduleChange(schedule, attempt.run);
    expect(result).toBe('booked');
    expect(attempt.runs).toBe(2);
    expect(schedule.forgotten).toEqual(['d1']);
  });

  it('gives up with 409 conflict after three changes in a row', async () => {
    const schedule = forgetting();
    const attempt = counted(() => {
      throw new ScheduleChanged('d1');
    });
    await expect(retryOnScheduleChange(schedule, attempt.run)).rejects.toMatchObject({
      code: 'conflict',
      status: 409,
    });
    expect(attempt.runs).toBe(3);
  });

  it('hands any other error straight back, without retrying', async () => {
    const schedule = forgetting();
    const attempt = counted(() => {
      throw new Error('slot taken');
    });
    await expect(retryOnScheduleChange(schedule, attempt.run)).rejects.toThrow('slot taken');
    expect(attempt.runs).toBe(1);
    expect(schedule.forgotten).toEqual([]);
  });
});
