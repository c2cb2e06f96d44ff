import { describe, expect, it } from 'vitest';
import { checkpointMessage, checkpointSignatureValid, parseSignedCheckpoint, platformKeyFromSeed, signCheckpoint } from './checkpoint-signature.js';

const key = platformKeyFromSeed('11'.repeat(32));
const other = platformKeyFromSeed('22'.repeat(32));
const body = { treeSize: 42, headHash: 'ab'.repeat(32), signedAt: '2026-12-06T21:00:00.000Z' };

describe('signed ledger checkpoints', () => {
  it('signs size, head and time; the published key verifies it', () => {
    const cp = signCheckpoint(key, body);
    expect(cp).toMatchObject({ ...body, keyId: key.keyId, publicJwk: key.publicJwk });
    expect(checkpointMessage(body).toString()).toBe(`edu-ledger-checkpoint/v1\n42\n${'ab'.repeat(32)}\n2026-12-06T21:00:00.000Z\n`);
    expect(checkpointSignatureValid(cp, [key.publicJwk])).toBe(true);
  });

  it('fails when any signed field or the signature is changed', () => {
    const cp = signCheckpoint(key, body);
    expect(checkpointSignatureValid({ ...cp, treeSize: 41 }, [key.publicJwk])).toBe(false);
    expect(checkpointSignatureValid({ ...cp, headHash: 'cd'.repeat(32) }, [key.publicJwk])).toBe(false);
    expect(checkpointSignatureValid({ ...cp, signedAt: '2026-12-06T22:00:00.000Z' }, [key.publicJwk])).toBe(false);
    const sig = Buffer.from(cp.signature, 'base64url');
    sig[0]! ^= 1;
    expect(checkpointSignatureValid({ ...cp, signature: sig.toString('base64url') }, [key.publicJwk])).toBe(false);
  });

  it('a checkpoint signed with a key the verifier does not trust fails, even if it names that key', () => {
    const forged = signCheckpoint(other, body);
    expect(checkpointSignatureValid(forged, [key.publicJwk])).toBe(false);
    expect(checkpointSignatureValid({ ...forged, keyId: key.keyId, publicJwk: key.publicJwk }, [key.publicJwk])).toBe(false);
  });

  it('the key follows from the seed alone, and its id is the RFC 7638 thumbprint', () => {
    expect(platformKeyFromSeed('11'.repeat(32)).publicJwk).toEqual(key.publicJwk);
    expect(key.keyId).toMatch(/^[\w-]{43}$/);
    expect(() => platformKeyFromSeed('xyz')).toThrow(/64 hex/);
  });

  it('parses a published checkpoint and says what is wrong with a bad one', () => {
    const cp = signCheckpoint(key, body);
    expect(parseSignedCheckpoint({ ...cp, links: {} })).toEqual({ ok: true, checkpoint: cp });
    const bad = parseSignedCheckpoint({ ...cp, headHash: 'nope' });
    expect(bad).toMatchObject({ ok: false, problem: expect.stringContaining('headHash') });
  });
});
