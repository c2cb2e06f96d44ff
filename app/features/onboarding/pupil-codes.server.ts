import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { getEnv } from '../../env.server.js';

/**
 * A pupil's classroom-device code: six digits a child can type, useful only together with the
 * device, the class and the name, and throttled per pupil and per class. Stored as an HMAC
 * under the server's secret, so a copied table cannot be searched offline for the million codes.
 */
export function newPupilCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

export function hashPupilCode(userId: string, code: string): string {
  return createHmac('sha256', getEnv().SESSION_SECRET).update(`pupil-code:${userId}:${code}`).digest('hex');
}

export function pupilCodeMatches(userId: string, code: string, stored: string | null): boolean {
  if (!stored || !/^\d{6}$/.test(code)) return false;
  const a = Buffer.from(hashPupilCode(userId, code), 'hex');
  const b = Buffer.from(stored, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
