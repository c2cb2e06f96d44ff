import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

// TOTP secrets must be read back to check a code, so they are sealed (AES-256-GCM) rather than
// hashed, under a key derived from the site's SESSION_SECRET: a copy of the database alone does
// not give anyone a registrar's codes. Used by the site and by the seed (demo authenticators).

function sealingKey(siteSecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', siteSecret, 'edu-second-factor', 'totp-secret', 32));
}

export function sealTotpSecret(siteSecret: string, base32Secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(siteSecret), iv);
  const body = Buffer.concat([cipher.update(base32Secret, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** The base32 secret, or null when it was sealed under another SESSION_SECRET. */
export function unsealTotpSecret(siteSecret: string, sealed: string): string | null {
  try {
    const raw = Buffer.from(sealed, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', sealingKey(siteSecret), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
