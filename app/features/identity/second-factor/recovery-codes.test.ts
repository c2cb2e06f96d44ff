import { describe, expect, it } from 'vitest';
import { hashRecoveryCode, looksLikeRecoveryCode, newRecoveryCodes, normaliseRecoveryCode } from './recovery-codes.js';

describe('recovery codes', () => {
  it('issues ten distinct codes in four groups of four unambiguous characters', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[2-9A-HJKMNP-TV-Z]{4}(-[2-9A-HJKMNP-TV-Z]{4}){3}$/);
  });
  it('hashes what a person types the same way as what was issued (case, spaces, dashes)', () => {
    const [code] = newRecoveryCodes();
    const typed = ` ${code!.toLowerCase().replace(/-/g, ' ')} `;
    expect(hashRecoveryCode(typed)).toBe(hashRecoveryCode(code!));
    expect(hashRecoveryCode(code!)).not.toContain(normaliseRecoveryCode(code!));
  });
  it('tells a recovery code from a six-digit authenticator code', () => {
    expect(looksLikeRecoveryCode('7KQM-2XPA-9VDT-HN4C')).toBe(true);
    expect(looksLikeRecoveryCode('123456')).toBe(false);
  });
});
