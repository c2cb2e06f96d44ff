import { generateSecret, generateURI, verify } from 'otplib';

// RFC 6238 defaults that every authenticator app understands: SHA-1, six digits, 30-second steps.
export const TOTP_PERIOD_SECONDS = 30;
// One step either side of now: a phone's clock a little off, or a code typed as it changed.
const toleranceSeconds = TOTP_PERIOD_SECONDS;

export const ISSUER = '八闽云课堂';

export function newTotpSecret(): string {
  return generateSecret();
}

/** The otpauth:// URI an authenticator app reads from the QR code. */
export function totpUri(secret: string, accountLabel: string): string {
  return generateURI({ issuer: ISSUER, label: accountLabel, secret });
}

/** The manual key in groups of four, as apps show it and people type it. */
export function formatManualKey(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

/**
 * The time step the code belongs to, or null when it is wrong, or is from a step no later than
 * `afterStep` (a code already used: RFC 6238 §5.2 says the second use must be refused).
 */
export async function matchTotpStep(secret: string, typed: string, afterStep: number | null, nowSeconds = Math.floor(Date.now() / 1000)): Promise<number | null> {
  const token = typed.replace(/\s/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  const result = await verify({ secret, token, epoch: nowSeconds, epochTolerance: toleranceSeconds, ...(afterStep === null ? {} : { afterTimeStep: afterStep }) });
  // verify() answers for TOTP and HOTP alike; a valid TOTP answer carries its time step.
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}
