import { createHash } from 'node:crypto';
import { getServices } from '../../services.server.js';
import { reserveAttempt } from '../identity/throttle.server.js';

/**
 * Mail-sending actions, each limited per client address and per mail address (hashed in
 * the key). Every request counts, whether or not the address has an account, so the
 * limit itself reveals nothing. Windows in seconds.
 */
export const mailActionLimits = {
  signup: { perIp: 20, perAddress: 3, windowSeconds: 3600 },
  'password-reset': { perIp: 20, perAddress: 3, windowSeconds: 3600 },
  'verify-email': { perIp: 20, perAddress: 3, windowSeconds: 3600 },
} as const;
export type MailAction = keyof typeof mailActionLimits;

const addressHash = (address: string) => createHash('sha256').update(address.toLowerCase()).digest('hex').slice(0, 32);

/** 0 when the request may go ahead (and is counted), else the seconds until it may. */
export function reserveMailAction(action: MailAction, ip: string, address: string): Promise<number> {
  const limits = mailActionLimits[action];
  return reserveAttempt(
    getServices().redis,
    [
      { key: `edu:throttle:${action}:ip:${ip}`, limit: limits.perIp },
      { key: `edu:throttle:${action}:addr:${addressHash(address)}`, limit: limits.perAddress },
    ],
    limits.windowSeconds,
  );
}
