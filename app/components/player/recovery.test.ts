import { describe, expect, it } from 'vitest';
import { MAX_RETRY_DELAY_MS, recoveryFor } from './recovery.js';

describe('lesson player recovery', () => {
  it('retries a dropped link for ever, backing off to 30 s', () => {
    const delays = [1, 2, 3, 4, 5, 6, 50].map((n) => recoveryFor({ type: 'networkError', httpStatus: 0 }, n));
    expect(delays.map((r) => r.action)).toEqual(Array(7).fill('reload'));
    expect(delays.map((r) => ('delayMs' in r ? r.delayMs : null))).toEqual([2000, 4000, 8000, 16000, MAX_RETRY_DELAY_MS, MAX_RETRY_DELAY_MS, MAX_RETRY_DELAY_MS]);
    expect(recoveryFor({ type: 'networkError', httpStatus: 503 }, 1)).toMatchObject({ action: 'reload', problem: 'retrying' });
    expect(recoveryFor({ type: 'networkError' }, 1)).toMatchObject({ action: 'reload' });
  });

  it('renews expired links once, then gives up', () => {
    expect(recoveryFor({ type: 'networkError', httpStatus: 403 }, 1)).toEqual({ action: 'renew-links', delayMs: 0, problem: 'retrying' });
    expect(recoveryFor({ type: 'networkError', httpStatus: 403 }, 2)).toEqual({ action: 'give-up', problem: 'failed' });
  });

  it('says a missing file is missing instead of retrying', () => {
    expect(recoveryFor({ type: 'networkError', httpStatus: 404 }, 1)).toEqual({ action: 'give-up', problem: 'missing' });
    expect(recoveryFor({ type: 'networkError', httpStatus: 410 }, 3)).toEqual({ action: 'give-up', problem: 'missing' });
  });

  it('recovers media errors twice in a row, then gives up; other fatal errors at once', () => {
    expect([1, 2, 3].map((n) => recoveryFor({ type: 'mediaError' }, n).action)).toEqual(['recover-media', 'recover-media', 'give-up']);
    expect(recoveryFor({ type: 'muxError' }, 1)).toEqual({ action: 'give-up', problem: 'failed' });
    expect(recoveryFor({ type: 'otherError' }, 1)).toEqual({ action: 'give-up', problem: 'failed' });
  });
});
