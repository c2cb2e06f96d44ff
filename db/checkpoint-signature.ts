import { createPrivateKey, createPublicKey, hash, sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';

// Signed ledger checkpoints (docs/ledger.md): pure, so a verifier needs no database.

export type Ed25519Jwk = { kty: 'OKP'; crv: 'Ed25519'; x: string };
export type CheckpointBody = { treeSize: number; headHash: string; signedAt: string };
export type SignedCheckpoint = CheckpointBody & { keyId: string; publicJwk: Ed25519Jwk; signature: string };
export type PlatformKey = { privateKey: KeyObject; publicJwk: Ed25519Jwk; keyId: string };

/**
 * The exact bytes signed: a versioned text note in the spirit of transparency-log
 * checkpoints (size, head, time on their own lines), so anyone can rebuild it by hand.
 */
export function checkpointMessage(body: CheckpointBody): Buffer {
  return Buffer.from(`edu-ledger-checkpoint/v1\n${body.treeSize}\n${body.headHash}\n${body.signedAt}\n`, 'utf8');
}

/** RFC 7638 thumbprint of an Ed25519 JWK: the key's id in checkpoints. */
export function jwkThumbprint(jwk: Ed25519Jwk): string {
  return hash('sha256', `{"crv":"Ed25519","kty":"OKP","x":"${jwk.x}"}`, 'base64url');
}

// PKCS#8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410).
const pkcs8Prefix = Buffer.from('302e020100300506032b657004220420', 'hex');

/** The platform key from LEDGER_SIGNING_KEY (64 hex characters: the Ed25519 seed). */
export function platformKeyFromSeed(seedHex: string): PlatformKey {
  if (!/^[0-9a-f]{64}$/i.test(seedHex)) throw new Error('LEDGER_SIGNING_KEY must be 64 hex characters');
  const privateKey = createPrivateKey({ key: Buffer.concat([pkcs8Prefix, Buffer.from(seedHex, 'hex')]), format: 'der', type: 'pkcs8' });
  const { x } = createPublicKey(privateKey).export({ format: 'jwk' }) as { x: string };
  const publicJwk: Ed25519Jwk = { kty: 'OKP', crv: 'Ed25519', x };
  return { privateKey, publicJwk, keyId: jwkThumbprint(publicJwk) };
}

export function signCheckpoint(key: PlatformKey, body: CheckpointBody): SignedCheckpoint {
  const signature = sign(null, checkpointMessage(body), key.privateKey).toString('base64url');
  return { treeSize: body.treeSize, headHash: body.headHash, signedAt: body.signedAt, keyId: key.keyId, publicJwk: key.publicJwk, signature };
}

/**
 * True when the signature is the named key's over exactly this size, head and time. The key
 * must be one the verifier trusts (`trusted`): a checkpoint carries its own public key only
 * so that the right one can be picked.
 */
export function checkpointSignatureValid(checkpoint: SignedCheckpoint, trusted: readonly Ed25519Jwk[]): boolean {
  const key = trusted.find((k) => k.x === checkpoint.publicJwk.x);
  if (!key || jwkThumbprint(key) !== checkpoint.keyId) return false;
  try {
    const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: key.x }, format: 'jwk' });
    return verify(null, checkpointMessage(checkpoint), publicKey, Buffer.from(checkpoint.signature, 'base64url'));
  } catch {
    return false;
  }
}

export const signedCheckpointSchema = z.object({
  treeSize: z.number().int().min(0),
  headHash: z.string().regex(/^[0-9a-f]{64}$/),
  signedAt: z.string().datetime(),
  keyId: z.string().min(1),
  publicJwk: z.object({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: z.string().regex(/^[\w-]{43}$/) }),
  signature: z.string().regex(/^[\w-]+$/),
});

/** A checkpoint as published (extra members such as links are ignored), or why it is not one. */
export function parseSignedCheckpoint(value: unknown): { ok: true; checkpoint: SignedCheckpoint } | { ok: false; problem: string } {
  const parsed = signedCheckpointSchema.safeParse(value);
  if (parsed.success) return { ok: true, checkpoint: parsed.data };
  return { ok: false, problem: parsed.error.issues.map((i) => `${i.path.join('.') || 'checkpoint'}: ${i.message}`).join('; ') };
}
