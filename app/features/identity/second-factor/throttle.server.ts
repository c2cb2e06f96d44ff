import type { Redis } from 'ioredis';

// A second-factor guess is counted before it is checked (INCR first), so guesses sent in
// parallel cannot all slip under the limit; a correct code clears the count.
const key = (userId: string) => `edu:throttle:second-factor:${userId}`;

/** 0 when this attempt may be checked; otherwise the seconds to wait. */
export async function reserveSecondFactorAttempt(redis: Redis, userId: string, limits: { max: number; windowSeconds: number }): Promise<number> {
  const [[, count], , [, ttl]] = (await redis.multi().incr(key(userId)).expire(key(userId), limits.windowSeconds, 'NX').ttl(key(userId)).exec()) as [
    [unknown, number],
    [unknown, number],
    [unknown, number],
  ];
  return count > limits.max ? Math.max(1, ttl) : 0;
}

export async function clearSecondFactorAttempts(redis: Redis, userId: string): Promise<void> {
  await redis.del(key(userId));
}
