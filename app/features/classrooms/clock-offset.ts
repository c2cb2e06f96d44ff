// NTP-style clock offset between a screen and the server (RFC 5905 §8, the on-wire
// protocol): four timestamps per exchange, and the exchange with the smallest round trip
// is trusted most, because queueing delay is what makes the two legs unequal.

/** t0: client sends, t1: server receives, t2: server replies, t3: client receives (ms). */
export type ClockExchange = { t0: number; t1: number; t2: number; t3: number };
export type ClockSample = { offsetMs: number; delayMs: number; at: number };

/** The server's clock minus the client's, and the round trip spent on the network. */
export function clockSample({ t0, t1, t2, t3 }: ClockExchange): ClockSample {
  return { offsetMs: (t1 - t0 + (t2 - t3)) / 2, delayMs: t3 - t0 - (t2 - t1), at: t3 };
}

/**
 * The offset of the lowest-delay sample among the most recent `keep`. Its error is at most
 * half that sample's round trip. NTP's clock filter keeps eight; we keep twenty-four because
 * on rural links with 100 ± 50 ms of jitter per leg eight leave a 1-in-100 error of ~34 ms,
 * sixteen ~27 ms and twenty-four ~23 ms (synthetic timelines in clock-offset.test.ts).
 * Re-sampling every 10 s keeps the window at 4 min, short enough to follow clock drift.
 */
export function estimateClockOffset(samples: readonly ClockSample[], keep = CLOCK_WINDOW): { offsetMs: number; delayMs: number; errorBoundMs: number } | null {
  const recent = samples.slice(-keep);
  if (recent.length === 0) return null;
  const best = recent.reduce((a, b) => (b.delayMs < a.delayMs ? b : a));
  return { offsetMs: best.offsetMs, delayMs: best.delayMs, errorBoundMs: best.delayMs / 2 };
}

/** A burst of samples at the start, then one every `intervalMs` to follow the crystals' drift. */
export const CLOCK_WINDOW = 24;
export const CLOCK_BURST = 24;
export const CLOCK_RESAMPLE_MS = 10_000;

export function nextSampleDelay(samplesTaken: number, intervalMs = CLOCK_RESAMPLE_MS): number {
  return samplesTaken < CLOCK_BURST ? 150 : intervalMs;
}
