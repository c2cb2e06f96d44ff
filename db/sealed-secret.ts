import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

// A credential another system gave us (an OIDC client secret) is sealed with AES-256-GCM
// under a key derived from the server's secret, as institutions' signing keys are: a copy
// of the database alone does not reveal it.
function sealingKey(serverSecret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', serverSecret, 'edu-sealed-secrets', purpose, 32));
}

/** AES-256-GCM under `key`: iv (12 bytes), tag (16), ciphertext, as base64url. One format for every sealed value. */
export function sealBytes(key: Buffer, plain: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** Throws when the value was sealed under another key, or was altered. */
export function unsealBytes(key: Buffer, sealed: string): Buffer {
  const raw = Buffer.from(sealed, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
}

export function sealSecret(plaintext: string, serverSecret: string, purpose: string): string {
  return sealBytes(sealingKey(serverSecret, purpose), Buffer.from(plaintext, 'utf8'));
}

/** Throws when the value was sealed under another secret or purpose, or was altered. */
export function unsealSecret(sealed: string, serverSecret: string, purpose: string): string {
  return unsealBytes(sealingKey(serverSecret, purpose), sealed).toString('utf8');
}

/** The purpose an OIDC client secret is sealed for (a key of its own). */
export const OIDC_CLIENT_SECRET_PURPOSE = 'oidc-client-secret';
