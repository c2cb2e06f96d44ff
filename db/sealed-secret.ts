import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

// A credential another system gave us (an OIDC client secret) is sealed with AES-256-GCM
// under a key derived from the server's secret, as institutions' signing keys are: a copy
// of the database alone does not reveal it.
function sealingKey(serverSecret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', serverSecret, 'edu-sealed-secrets', purpose, 32));
}

export function sealSecret(plaintext: string, serverSecret: string, purpose: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(serverSecret, purpose), iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** Throws when the value was sealed under another secret or purpose, or was altered. */
export function unsealSecret(sealed: string, serverSecret: string, purpose: string): string {
  const raw = Buffer.from(sealed, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', sealingKey(serverSecret, purpose), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}

/** The purpose an OIDC client secret is sealed for (a key of its own). */
export const OIDC_CLIENT_SECRET_PURPOSE = 'oidc-client-secret';
