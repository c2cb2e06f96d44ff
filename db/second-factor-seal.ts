import { hkdfSync } from 'node:crypto';
import { sealBytes, unsealBytes } from './sealed-secret.js';

// TOTP secrets must be read back to check a code, so they are sealed (AES-256-GCM) rather than
// hashed, under a key derived from the site's SESSION_SECRET: a copy of the database alone does
// not give anyone a registrar's codes. Used by the site and by the seed (demo authenticators).

function sealingKey(siteSecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', siteSecret, 'edu-second-factor', 'totp-secret', 32));
}

export function sealTotpSecret(siteSecret: string, base32Secret: string): string {
  return sealBytes(sealingKey(siteSecret), Buffer.from(base32Secret, 'utf8'));
}

/** The base32 secret, or null when it was sealed under another SESSION_SECRET. */
export function unsealTotpSecret(siteSecret: string, sealed: string): string | null {
  try {
    return unsealBytes(sealingKey(siteSecret), sealed).toString('utf8');
  } catch {
    return null;
  }
}
