import { useEffect, useMemo, useRef } from 'react';
import { clockSample, estimateClockOffset, nextSampleDelay, type ClockSample } from './clock-offset.js';

const localNow = () => performance.timeOrigin + performance.now();

/** An exchange this slow measures nothing useful (the offset's error is up to half the round trip). */
const SAMPLE_TIMEOUT_MS = 10_000;

export type ServerClock = { now: () => number; rttMs: () => number | null };

/** The server's time on this screen: a burst of /clock exchanges, then one every 10 s. */
export function useServerClock(): ServerClock {
  const offset = useRef(0);
  const rtt = useRef<number | null>(null);
  useEffect(() => {
    const samples: ClockSample[] = [];
    let timer: ReturnType<typeof setTimeout>;
    let stopped = false;
    const sample = async () => {
      try {
        const t0 = localNow();
        // A lost answer must not end the sampling (the next one is scheduled after it).
        const res = await fetch('/clock', { cache: 'no-store', signal: AbortSignal.timeout(SAMPLE_TIMEOUT_MS) });
        const { t1, t2 } = (await res.json()) as { t1: number; t2: number };
        samples.push(clockSample({ t0, t1, t2, t3: localNow() }));
        samples.splice(0, Math.max(0, samples.length - 32));
        const best = estimateClockOffset(samples);
        if (best) {
          offset.current = best.offsetMs;
          rtt.current = samples[samples.length - 1]!.delayMs;
        }
      } catch {
        /* offline for a moment: keep the last estimate */
      }
      if (!stopped) timer = setTimeout(() => void sample(), nextSampleDelay(samples.length));
    };
    void sample();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, []);
  return useMemo(() => ({ now: () => localNow() + offset.current, rttMs: () => rtt.current }), []);
}
