import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export type ThrottleLimits = { perAccount: number; perIp: number; windowSeconds: number };

// Fixed windows in Redis, shared by every web node. Keys hold a hash of the email,
// never the address itself.
const accountKey = (email: string) => `edu:throttle:login:acct:${createHash('sha256').update(email.toLowerCase()).digest('hex').slice(0, 32)}`;
const ipKey = (ip: string) => `edu:throttle:login:ip:${ip}`;

/**
 * Checks every counter and, when all are under their limit, counts the attempt in each,
 * in one step: N guesses sent at once take N reservations in turn, so no more than the
 * limit ever reach the password check. Returns 0 when reserved, else the seconds to wait.
 */
const reserveScript = `
for i = 1, #KEYS do
  if tonumber(redis.call('GET', KEYS[i]) or '0') >= tonumber(ARGV[i]) then
    return math.max(1, redis.call('TTL', KEYS[i]))
  end
end
for i = 1, #KEYS do
  redis.call('INCR', KEYS[i])
  if redis.call('TTL', KEYS[i]) < 0 then redis.call('EXPIRE', KEYS[i], ARGV[#KEYS + 1]) end
end
return 0`;

/** Reserves attempts against several fixed-window counters at once (see reserveScript). */
export async function reserveAttempt(redis: Redis, counters: { key: string; limit: number }[], windowSeconds: number): Promise<number> {
  const result = await redis.eval(reserveScript, counters.length, ...counters.map((c) => c.key), ...counters.map((c) => c.limit), windowSeconds);
  return Number(result);
}

/** Reserves one login attempt for this address and this client; 0 when reserved, else seconds to wait. */
export function reserveLoginAttempt(redis: Redis, email: string, ip: string, limits: ThrottleLimits): Promise<number> {
  return reserveAttempt(
    redis,
    [
      { key: accountKey(email), limit: limits.perAccount },
      { key: ipKey(ip), limit: limits.perIp },
    ],
    limits.windowSeconds,
  );
}

/** A correct password gives its reservation back: the account's failures are forgiven, the client's attempt uncounted. */
export async function releaseLoginAttempt(redis: Redis, email: string, ip: string): Promise<void> {
  await redis
    .multi()
    .del(accountKey(email))
    .eval(`if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then return redis.call('DECR', KEYS[1]) end return 0`, 1, ipKey(ip))
    .exec();
}
