import { generate } from 'otplib';
import { describe, expect, it } from 'vitest';
import { formatManualKey, matchTotpStep, newTotpSecret, totpUri } from './totp.js';

// RFC 6238 appendix B's SHA-1 secret ("12345678901234567890") in base32.
const rfcSecret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('TOTP', () => {
  it('accepts the RFC 6238 test vector at its time and names its step', async () => {
    // T = 59 s: step 1, code 94287082 in 8 digits, so 287082 in six.
    expect(await matchTotpStep(rfcSecret, '287082', null, 59)).toBe(1);
  });
  it('allows one step of clock drift either way, and no more', async () => {
    const secret = newTotpSecret();
    const now = 1_800_000_000;
    const at = (seconds: number) => generate({ secret, epoch: seconds });
    expect(await matchTotpStep(secret, await at(now - 30), null, now)).not.toBeNull();
    expect(await matchTotpStep(secret, await at(now + 30), null, now)).not.toBeNull();
    expect(await matchTotpStep(secret, await at(now - 90), null, now)).toBeNull();
  });
  it('refuses a code from a step already used', async () => {
    const secret = newTotpSecret();
    const now = 1_800_000_000;
    const code = await generate({ secret, epoch: now });
    const step = await matchTotpStep(secret, code, null, now);
    expect(step).toBe(Math.floor(now / 30));
    expect(await matchTotpStep(secret, code, step, now)).toBeNull();
  });
  it('refuses anything that is not six digits', async () => {
    expect(await matchTotpStep(newTotpSecret(), 'abcdef', null)).toBeNull();
    expect(await matchTotpStep(newTotpSecret(), '12345', null)).toBeNull();
  });
  it('writes an otpauth URI with the issuer and the account, and a readable manual key', () => {
    expect(totpUri('JBSWY3DPEHPK3PXP', 'registrar@demo.edu.cn')).toMatch(/^otpauth:\/\/totp\/.+registrar%40demo\.edu\.cn\?secret=JBSWY3DPEHPK3PXP/);
    expect(formatManualKey('JBSWY3DPEHPK3PXP')).toBe('JBSW Y3DP EHPK 3PXP');
  });
});
