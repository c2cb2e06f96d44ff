import { describe, expect, it } from 'vitest';
import { unsentReports } from './unsent-reports.js';

function memoryStorage() {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
    removeItem: (k: string) => void items.delete(k),
  };
}

describe('unsent reports on the device', () => {
  it('keeps ranges per run, merged, and forgets a run once all of it was delivered', () => {
    const storage = memoryStorage();
    const unsent = unsentReports(storage, 'k');
    unsent.keep('run-a', [[0, 10]]);
    unsent.keep('run-a', [[10, 20]]);
    unsent.keep('run-b', [[30, 40]]);
    expect(unsent.read()).toEqual([
      ['run-a', [[0, 20]]],
      ['run-b', [[30, 40]]],
    ]);
    unsent.delivered('run-a', [[0, 20]]);
    expect(unsent.read()).toEqual([['run-b', [[30, 40]]]]);
    unsent.delivered('run-b', [[30, 40]]);
    expect(storage.items.has('k')).toBe(false);
  });

  it('keeps what was played while a report was on its way', () => {
    const unsent = unsentReports(memoryStorage(), 'k');
    unsent.keep('run-a', [[0, 30]]);
    // A beacon on leaving the tab kept more before the answer to the first report came.
    unsent.keep('run-a', [[30, 45]]);
    unsent.delivered('run-a', [[0, 30]]);
    expect(unsent.read()).toEqual([['run-a', [[30, 45]]]]);
  });

  it('drops ranges kept before runs existed, and anything that is not a range', () => {
    const storage = memoryStorage();
    storage.setItem('old', JSON.stringify([[0, 50]]));
    expect(unsentReports(storage, 'old').read()).toEqual([]);
    storage.setItem('odd', JSON.stringify({ v: 2, runs: { a: [[0, 5], ['x', 1], [1]], b: 'nope' } }));
    expect(unsentReports(storage, 'odd').read()).toEqual([['a', [[0, 5]]]]);
    storage.setItem('broken', '{');
    expect(unsentReports(storage, 'broken').read()).toEqual([]);
  });

  it('remembers at most twenty runs, dropping the oldest', () => {
    const unsent = unsentReports(memoryStorage(), 'k');
    for (let i = 0; i < 25; i++) unsent.keep(`run-${i}`, [[i, i + 1]]);
    const runs = unsent.read().map(([run]) => run);
    expect(runs).toHaveLength(20);
    expect(runs[0]).toBe('run-5');
    expect(runs.at(-1)).toBe('run-24');
  });

  it('works without storage (blocked): nothing kept, nothing thrown', () => {
    const unsent = unsentReports(null, 'k');
    unsent.keep('run-a', [[0, 1]]);
    expect(unsent.read()).toEqual([]);
  });
});
