import { describe, expect, it } from 'vitest';
import { batcher } from '../../src/infra/batcher.js';

describe('batcher', () => {
  it('sends what callers add in one turn as one flush, and each caller waits for it', async () => {
    const flushed: number[][] = [];
    const add = batcher<number>(async (items) => {
      flushed.push(items);
    });
    await Promise.all([add([1, 2]), add([3]), add([4])]);
    expect(flushed).toEqual([[1, 2, 3, 4]]);
  });

  it('starts a new batch once the previous one has been sent', async () => {
    const flushed: number[][] = [];
    const add = batcher<number>(async (items) => {
      flushed.push(items);
    });
    await add([1]);
    await add([2]);
    expect(flushed).toEqual([[1], [2]]);
  });

  it('hands a failed flush to every caller of that batch, and the next batch still goes', async () => {
    let fail = true;
    const add = batcher<number>(async () => {
      if (fail) throw new Error('redis away');
    });
    const results = await Promise.allSettled([add([1]), add([2])]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(add([3])).resolves.toBeUndefined();
  });

  it('does not flush for an empty add', async () => {
    let flushes = 0;
    const add = batcher<number>(async () => {
      flushes++;
    });
    await add([]);
    expect(flushes).toBe(0);
  });
});
