import { describe, expect, it } from 'vitest';
import { sealSecret, unsealSecret } from './sealed-secret.js';

const secret = 'x'.repeat(64);

describe('sealed secrets', () => {
  it('opens with the same server secret and purpose, and hides the plaintext', () => {
    const sealed = sealSecret('client-secret-value', secret, 'oidc');
    expect(sealed).not.toContain('client-secret-value');
    expect(unsealSecret(sealed, secret, 'oidc')).toBe('client-secret-value');
    expect(sealSecret('client-secret-value', secret, 'oidc')).not.toBe(sealed);
  });

  it('refuses another server secret, another purpose, or an altered value', () => {
    const sealed = sealSecret('v', secret, 'oidc');
    expect(() => unsealSecret(sealed, 'y'.repeat(64), 'oidc')).toThrow();
    expect(() => unsealSecret(sealed, secret, 'other')).toThrow();
    const raw = Buffer.from(sealed, 'base64url');
    raw[raw.length - 1]! ^= 1;
    expect(() => unsealSecret(raw.toString('base64url'), secret, 'oidc')).toThrow();
  });
});
