import { createHash, randomBytes } from 'node:crypto';

export const RECOVERY_CODE_COUNT = 10;

// Crockford-style alphabet without 0/O, 1/I/L, U: read aloud and typed from paper without doubt.
const alphabet = '23456789ABCDEFGHJKMNPQRSTVWXYZ';

/** One code: 16 characters (≈78 bits) in four groups, e.g. `7KQM-2XPA-9VDT-HN4C`. */
export function newRecoveryCode(): string {
  const bytes = randomBytes(16);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]!);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
}

/** What a person typed, as it was issued: upper case, no spaces or dashes. */
export function normaliseRecoveryCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, '');
}

/** Whether the input looks like a recovery code rather than a six-digit TOTP code. */
export function looksLikeRecoveryCode(typed: string): boolean {
  return /^[A-Z0-9]{16}$/.test(normaliseRecoveryCode(typed));
}

/**
 * sha256 is enough here (no slow hash): each code carries ~78 random bits, far beyond what an
 * offline search of a stolen table could cover, and a lookup by hash keeps the check constant-time.
 */
export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(normaliseRecoveryCode(code)).digest('hex');
}
