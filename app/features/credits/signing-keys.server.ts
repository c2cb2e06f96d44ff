import { createPrivateKey, generateKeyPairSync, hkdfSync, type KeyObject } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../../db/client.js';
import { sealBytes, unsealBytes } from '../../../db/sealed-secret.js';
import { institutionSigningKeys } from '../../../db/schema/index.js';
import { getEnv } from '../../env.server.js';
import { appendLedger } from './ledger.server.js';

type Tx = Pick<Database, 'select' | 'insert' | 'update' | 'execute' | 'transaction'>;

// Private keys are sealed with AES-256-GCM under a key derived from CREDENTIAL_KEY_SECRET
// (or SESSION_SECRET): a copy of the database alone cannot sign credentials.
function sealingKey(): Buffer {
  const env = getEnv();
  return Buffer.from(hkdfSync('sha256', env.CREDENTIAL_KEY_SECRET ?? env.SESSION_SECRET, 'edu-credential-keys', 'ed25519-private-key', 32));
}

function seal(der: Buffer): string {
  return sealBytes(sealingKey(), der);
}

function unseal(sealed: string): KeyObject {
  return createPrivateKey({ key: unsealBytes(sealingKey(), sealed), format: 'der', type: 'pkcs8' });
}

type SigningKey = { id: string; privateKey: KeyObject; publicJwk: { kty: 'OKP'; crv: 'Ed25519'; x: string } };

async function lockKeys(tx: Tx, institutionId: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`signing-key:${institutionId}`}))`);
}

async function createKey(tx: Tx, institutionId: string): Promise<SigningKey> {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' }) as { x: string };
  const publicJwk = { kty: 'OKP' as const, crv: 'Ed25519' as const, x: jwk.x };
  const [row] = await tx
    .insert(institutionSigningKeys)
    .values({ institutionId, publicJwk, sealedPrivateKey: seal(privateKey.export({ format: 'der', type: 'pkcs8' })) })
    .returning({ id: institutionSigningKeys.id });
  // The public half in the ledger: a key slipped into the table later has no entry.
  await appendLedger(tx, [{ kind: 'signing-key.created', payload: { keyId: row!.id, institutionId, publicKeyX: jwk.x } }]);
  return { id: row!.id, privateKey, publicJwk };
}

/**
 * The institution's active key, or null when it has none. Never creates one: serving a status
 * list or a DID document is anyone's request, and keys come only from the institution's actions.
 */
export async function activeSigningKey(tx: Pick<Database, 'select'>, institutionId: string): Promise<SigningKey | null> {
  const [existing] = await tx
    .select()
    .from(institutionSigningKeys)
    .where(and(eq(institutionSigningKeys.institutionId, institutionId), eq(institutionSigningKeys.active, true)))
    .limit(1);
  if (!existing) return null;
  try {
    return { id: existing.id, privateKey: unseal(existing.sealedPrivateKey), publicJwk: existing.publicJwk };
  } catch {
    return null; // sealed under another secret: only issuance (signingKeyForIssuance) replaces it
  }
}

/** The key to issue with: the active one, or (under a lock, so once) a new one. Called only when the institution issues. */
export async function signingKeyForIssuance(tx: Tx, institutionId: string): Promise<SigningKey> {
  await lockKeys(tx, institutionId);
  const active = await activeSigningKey(tx, institutionId);
  if (active) return active;
  // None, or sealed under another secret (the secret was changed): retire it and make a new key.
  // Its public half stays published, so credentials it signed still verify.
  const retired = await tx
    .update(institutionSigningKeys)
    .set({ active: false })
    .where(and(eq(institutionSigningKeys.institutionId, institutionId), eq(institutionSigningKeys.active, true)))
    .returning({ id: institutionSigningKeys.id });
  for (const key of retired) await appendLedger(tx, [{ kind: 'signing-key.retired', payload: { keyId: key.id, institutionId, reason: 'sealed under another secret' } }]);
  return createKey(tx, institutionId);
}

/** Retires the active key (it stays published) and creates its successor. */
export async function rotateSigningKey(tx: Tx, institutionId: string): Promise<{ retired: string | null; created: string }> {
  await lockKeys(tx, institutionId);
  const [old] = await tx
    .update(institutionSigningKeys)
    .set({ active: false })
    .where(and(eq(institutionSigningKeys.institutionId, institutionId), eq(institutionSigningKeys.active, true)))
    .returning({ id: institutionSigningKeys.id });
  if (old) await appendLedger(tx, [{ kind: 'signing-key.retired', payload: { keyId: old.id, institutionId, reason: 'rotated' } }]);
  const created = await createKey(tx, institutionId);
  return { retired: old?.id ?? null, created: created.id };
}
