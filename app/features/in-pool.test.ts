import { describe, expect, it } from 'vitest';
import { inPool } from './in-pool.js';

describe('inPool', () => {
  it('runs every item, never more than the limit at once', async () => {
    let running = 0;
    let most = 0;
    const done: number[] = [];
    await inPool([1, 2, 3, 4, 5], 2, async (n) => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 5 * n));
      running--;
      done.push(n);
    });
    expect(most).toBe(2);
    expect([...done].sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('rejects with the first failure', async () => {
    await expect(inPool([1, 2, 3], 2, async (n) => {
      if (n === 2) throw new Error('item 2');
    })).rejects.toThrow('item 2');
  });
});
