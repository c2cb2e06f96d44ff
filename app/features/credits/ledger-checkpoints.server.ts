import { jwkThumbprint, platformKeyFromSeed, type Ed25519Jwk, type PlatformKey, type SignedCheckpoint } from '../../../db/checkpoint-signature.js';
import { latestCheckpoint, listCheckpoints, signLedgerCheckpoint } from '../../../db/ledger-checkpoints.js';
import { getEnv } from '../../env.server.js';
import { getServices } from '../../services.server.js';
import { recordAudit } from '../audit/audit.server.js';

// The platform key lives in LEDGER_SIGNING_KEY (the environment, never the database): whoever
// can write the database cannot sign a checkpoint for a history they rewrote (decision 029).

let cached: { seed: string; key: PlatformKey } | undefined;

/** The platform's checkpoint key, or null when LEDGER_SIGNING_KEY is not set. */
export function platformKey(): PlatformKey | null {
  const seed = getEnv().LEDGER_SIGNING_KEY;
  if (!seed) return null;
  if (cached?.seed !== seed) cached = { seed, key: platformKeyFromSeed(seed) };
  return cached.key;
}

export type PublishedKey = Ed25519Jwk & { kid: string; alg: 'EdDSA'; use: 'sig'; status: 'current' | 'previous' };

/** The keys a checkpoint reader may trust: the current one and those used before it. */
export function publishedPlatformKeys(): PublishedKey[] {
  const current = platformKey();
  const previous = (getEnv().LEDGER_PREVIOUS_PUBLIC_KEYS ?? '').split(',').filter((x) => x && x !== current?.publicJwk.x);
  const keys: PublishedKey[] = current ? [{ ...current.publicJwk, kid: current.keyId, alg: 'EdDSA', use: 'sig', status: 'current' }] : [];
  for (const x of previous) {
    const jwk: Ed25519Jwk = { kty: 'OKP', crv: 'Ed25519', x };
    keys.push({ ...jwk, kid: jwkThumbprint(jwk), alg: 'EdDSA', use: 'sig', status: 'previous' });
  }
  return keys;
}

/** Signs a checkpoint now (an administrator's button), recorded in the audit log. */
export async function signCheckpointNow(actorUserId: string, ip: string): Promise<SignedCheckpoint | null> {
  const key = platformKey();
  if (!key) return null;
  const { db } = getServices();
  const { checkpoint } = await signLedgerCheckpoint(db, key);
  await recordAudit(db, { action: 'ledger.checkpoint-signed', actorUserId, ip, details: { treeSize: checkpoint.treeSize, headHash: checkpoint.headHash } });
  return checkpoint;
}

export const newestCheckpoint = () => latestCheckpoint(getServices().db);
export const recentCheckpoints = (limit = 100) => listCheckpoints(getServices().db, limit);
