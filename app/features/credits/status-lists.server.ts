import { createHash } from 'node:crypto';
import { and, eq, isNotNull, sql } from 'drizzle-orm';
import type { Database } from '../../../db/client.js';
import { credentialStatusLists, institutions, issuedCredentials } from '../../../db/schema/index.js';
import { publicBaseUrl } from '../../env.server.js';
import { getServices } from '../../services.server.js';
import { signVcJwt, statusListCredential, statusListUrl } from './credential-document.js';
import { signWithDataIntegrity } from './data-integrity.server.js';
import { institutionDid, jwkMethodId, multikeyMethodId } from './did-web.js';
import { credentialDocumentLoader } from './issuer-documents.server.js';
import { activeSigningKey } from './signing-keys.server.js';

type Tx = Pick<Database, 'select' | 'insert' | 'update' | 'execute'>;

/** Re-sign a list this long before its validUntil, so no verifier ever sees an expired one. */
const renewBeforeMs = 24 * 3600 * 1000;
/** How long a web process trusts its cached copy before asking the database for the version. */
const recheckMs = 1000;

/**
 * Signs the institution's status list from the revocations in the database, with its active
 * key (never a new one), and stores it. Runs inside the transaction that changed a status.
 */
export async function rebuildStatusList(tx: Tx, institutionId: string): Promise<boolean> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`status-list:${institutionId}`}))`);
  const key = await activeSigningKey(tx, institutionId);
  if (!key) return false;
  const [inst] = await tx.select({ slug: institutions.slug }).from(institutions).where(eq(institutions.id, institutionId));
  const revoked = await tx.select({ i: issuedCredentials.statusIndex }).from(issuedCredentials).where(and(eq(issuedCredentials.institutionId, institutionId), isNotNull(issuedCredentials.revokedAt)));
  const baseUrl = publicBaseUrl();
  const did = institutionDid(baseUrl, inst!.slug);
  const list = statusListCredential({ baseUrl, slug: inst!.slug, did, revokedIndexes: revoked.map((r) => r.i), validFrom: new Date() });
  const document = await signWithDataIntegrity(list, { privateKey: key.privateKey, methodId: multikeyMethodId(did, key.id), did }, credentialDocumentLoader());
  const jwt = signVcJwt(list, jwkMethodId(did, key.id), key.privateKey);
  const validUntil = new Date(String(list.validUntil));
  await tx
    .insert(credentialStatusLists)
    .values({ institutionId, document, jwt, keyId: key.id, validUntil })
    .onConflictDoUpdate({ target: credentialStatusLists.institutionId, set: { document, jwt, keyId: key.id, validUntil, builtAt: new Date(), version: sql`${credentialStatusLists.version} + 1` } });
  if (inst) cache.delete(inst.slug);
  return true;
}

export type ServedStatusList = { json: string; jwt: string; etag: string; version: number; validUntil: number };
type Cached = { list: ServedStatusList; checkedAt: number };
// On globalThis: Express (which serves the lists) and the Remix build (which revokes) each load
// their own copy of this module in one process; they must forget the same cache.
const g = globalThis as typeof globalThis & { __eduStatusListCache?: Map<string, Cached> };
const cache = (g.__eduStatusListCache ??= new Map<string, Cached>());

async function loadStored(slug: string) {
  const [row] = await getServices()
    .db.select({ institutionId: institutions.id, version: credentialStatusLists.version, document: credentialStatusLists.document, jwt: credentialStatusLists.jwt, validUntil: credentialStatusLists.validUntil })
    .from(institutions)
    .leftJoin(credentialStatusLists, eq(credentialStatusLists.institutionId, institutions.id))
    .where(eq(institutions.slug, slug));
  return row ?? null;
}

async function rebuildNow(institutionId: string) {
  return getServices().db.transaction((tx) => rebuildStatusList(tx, institutionId));
}

/**
 * The list as served: from this process's memory, re-checked against the stored version at most
 * once a second (so a revocation made by another web process shows within a second), signed
 * again only when it nears validUntil. Null when the institution is unknown or has never issued.
 */
export async function servedStatusList(slug: string): Promise<ServedStatusList | null> {
  const now = Date.now();
  const hit = cache.get(slug);
  if (hit && now - hit.checkedAt < recheckMs && hit.list.validUntil - now > renewBeforeMs) return hit.list;
  if (hit) {
    const [current] = await getServices()
      .db.select({ version: credentialStatusLists.version })
      .from(credentialStatusLists)
      .innerJoin(institutions, eq(institutions.id, credentialStatusLists.institutionId))
      .where(eq(institutions.slug, slug));
    if (current?.version === hit.list.version && hit.list.validUntil - now > renewBeforeMs) {
      hit.checkedAt = now;
      return hit.list;
    }
  }
  let row = await loadStored(slug);
  if (!row) return null;
  // Credentials issued before stored lists existed, a list near its end, or one signed under another
  // PUBLIC_URL (its id and issuer name the old address): sign once, with the existing key.
  if (!row.document || row.validUntil!.getTime() - now <= renewBeforeMs || row.document.id !== statusListUrl(publicBaseUrl(), slug)) {
    const issued = await getServices().db.select({ id: issuedCredentials.id }).from(issuedCredentials).where(eq(issuedCredentials.institutionId, row.institutionId)).limit(1);
    if (issued.length && (await rebuildNow(row.institutionId))) row = await loadStored(slug);
  }
  if (!row?.document) return null;
  const json = JSON.stringify(row.document);
  const list = { json, jwt: row.jwt!, etag: `"${createHash('sha256').update(json).digest('base64url').slice(0, 27)}"`, version: row.version!, validUntil: row.validUntil!.getTime() };
  cache.set(slug, { list, checkedAt: now });
  return list;
}

/** Call after the commit that changed statuses: this process serves the new list at once. */
export function forgetCachedStatusLists() {
  cache.clear();
}

/** The stored list document of an institution (for our own verifier, without HTTP). */
export async function statusListDocument(slug: string): Promise<Record<string, unknown> | null> {
  const served = await servedStatusList(slug);
  return served ? (JSON.parse(served.json) as Record<string, unknown>) : null;
}
