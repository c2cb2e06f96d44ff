import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export type ThrottleLimits = { perAccount: number; perIp: number; windowSeconds: number };

// Fixed windows in Redis, shared by every web node. Keys hold a hash of the email,
// never the address itself.
const accountKey = (email: string) => `edu:throttle:login:acct:${createHash('sha256').update(email.toLowerCase()).digest('hex').slice(0, 32)}`;
const ipKey = (ip: string) => `edu:throttle:login:ip:${ip}`;

/** Seconds until another attempt is allowed, or 0 when one is allowed now. */
export async function loginRetryAfter(redis: Redis, email: string, ip: string, limits: ThrottleLimits): Promise<number> {
  const [acct, byIp] = await redis.mget(accountKey(email), ipKey(ip));
  const blocked: string[] = [];
  if (Number(acct ?? 0) >= limits.perAccount) blocked.push(accountKey(email));
  if (Number(byIp ?? 0) >= limits.perIp) blocked.push(ipKey(ip));
  if (blocked.length === 0) return 0;
  const ttls = await Promise.all(blocked.map((k) => redis.ttl(k)));
  return Math.max(1, ...ttls);
}

export async function recordLoginFailure(redis: Redis, email: string, ip: string, limits: ThrottleLimits): Promise<void> {
  const tx = redis.multi();
  for (const key of [accountKey(email), ipKey(ip)]) {
    tx.incr(key);
    tx.expire(key, limits.windowSeconds, 'NX');
  }
  await tx.exec();
}

export async function clearAccountFailures(redis: Redis, email: string): Promise<void> {
  await redis.del(accountKey(email));
}
