import { describe, expect, it } from 'vitest';
import { singleFlight } from '../../src/infra/single-flight.js';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('singleFlight', () => {
  it('shares one read among concurrent callers of the same key', async () => {
    const shared = singleFlight<string, number>();
    const gate = deferred<number>();
    let reads = 0;
    const read = () => {
      reads++;
      return gate.promise;
    };
    const calls = [shared('a', read), shared('a', read), shared('a', read)];
    gate.resolve(7);
    expect(await Promise.all(calls)).toEqual([7, 7, 7]);
    expect(reads).toBe(1);
  });

  it('reads again for a different key and after the shared read settled', async () => {
    const shared = singleFlight<string, string>();
    let reads = 0;
    const read = (v: string) => () => {
      reads++;
      return Promise.resolve(v);
    };
    expect(await Promise.all([shared('a', read('x')), shared('b', read('y'))])).toEqual(['x', 'y']);
    expect(await shared('a', read('z'))).toBe('z');
    expect(reads).toBe(3);
  });

  it('hands a failure to every waiting caller and forgets it', async () => {
    const shared = singleFlight<string, number>();
    const gate = deferred<number>();
    const first = shared('a', () => gate.promise);
    const second = shared('a', () => Promise.resolve(1));
    gate.reject(new Error('boom'));
    await expect(first).rejects.toThrow('boom');
    await expect(second).rejects.toThrow('boom');
    expect(await shared('a', () => Promise.resolve(2))).toBe(2);
  });
});
