/**
 * Wait before reconnect attempt `attempt` (0-based): 1 s doubling to 30 s, with "equal
 * jitter" (half fixed, half random) so a thousand screens cut off by one web process's
 * restart do not all come back in the same instant.
 */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const cap = Math.min(30_000, 1_000 * 2 ** Math.max(0, attempt));
  return cap / 2 + random() * (cap / 2);
}

/** A stream that has been silent this long (two heartbeats missed) is taken for dead. */
export const STREAM_SILENCE_MS = 35_000;
