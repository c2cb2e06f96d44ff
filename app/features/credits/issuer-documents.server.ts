import { asc, desc, eq } from 'drizzle-orm';
import { institutions, institutionSigningKeys } from '../../../db/schema/index.js';
import { getEnv, publicBaseUrl } from '../../env.server.js';
import { getServices } from '../../services.server.js';
import { issuerProfile } from './credential-document.js';
import { didKeyDocument, dereferenceDidUrl, publicKeyMultibase } from './data-integrity.server.js';
import { controllerDocument, didWebDocumentUrl, institutionDid, ourInstitutionSlug, type PublishedKey } from './did-web.js';
import { makeDocumentLoader, type DocumentLoader } from './jsonld-contexts.server.js';
import { fetchJsonDocument } from './safe-fetch.server.js';

export async function institutionBySlug(slug: string) {
  const [inst] = await getServices().db.select().from(institutions).where(eq(institutions.slug, slug));
  return inst ?? null;
}

async function publishedKeys(institutionId: string): Promise<PublishedKey[]> {
  const rows = await getServices()
    .db.select()
    .from(institutionSigningKeys)
    .where(eq(institutionSigningKeys.institutionId, institutionId))
    .orderBy(desc(institutionSigningKeys.active), asc(institutionSigningKeys.createdAt));
  return Promise.all(rows.map(async (k) => ({ id: k.id, active: k.active, publicJwk: k.publicJwk, publicKeyMultibase: await publicKeyMultibase(k.publicJwk) })));
}

/** The institution's DID document (every key it has, active first); null for an unknown slug. Creates nothing. */
export async function institutionDidDocument(slug: string): Promise<Record<string, unknown> | null> {
  const inst = await institutionBySlug(slug);
  if (!inst) return null;
  return controllerDocument(institutionDid(publicBaseUrl(), slug), await publishedKeys(inst.id));
}

/** The OB 3.0 issuer Profile; its id is the DID, whose document holds the keys. */
export async function institutionIssuerProfile(slug: string): Promise<Record<string, unknown> | null> {
  const inst = await institutionBySlug(slug);
  if (!inst) return null;
  const baseUrl = publicBaseUrl();
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    ...issuerProfile({ baseUrl, did: institutionDid(baseUrl, slug), slug, nameZh: inst.nameZh, nameEn: inst.nameEn }),
  };
}

const remoteDidCache = new Map<string, { document: Record<string, unknown>; until: number }>();
const remoteDidTtlMs = 60_000;

/** Private hosts (loopback, LAN) are fetched only outside production, where test and dev issuers live. */
export const allowPrivateHosts = () => getEnv().NODE_ENV !== 'production';

async function remoteDidWebDocument(did: string): Promise<Record<string, unknown> | null> {
  const cached = remoteDidCache.get(did);
  if (cached && cached.until > Date.now()) return cached.document;
  const url = didWebDocumentUrl(did);
  if (!url) return null;
  const { body } = await fetchJsonDocument(url.href, { allowPrivateHosts: allowPrivateHosts() });
  const document = JSON.parse(body) as Record<string, unknown>;
  if (document.id !== did) throw new Error(`the document at ${url.href} is not about ${did}`);
  if (remoteDidCache.size > 200) remoteDidCache.clear();
  remoteDidCache.set(did, { document, until: Date.now() + remoteDidTtlMs });
  return document;
}

/** Resolves a DID or DID URL: ours from the database, did:key locally, other did:web over HTTPS (bounded). */
export async function resolveDidUrl(didUrl: string): Promise<Record<string, unknown> | null> {
  const did = didUrl.split('#')[0]!;
  const ours = ourInstitutionSlug(publicBaseUrl(), did);
  const document = ours ? await institutionDidDocument(ours) : did.startsWith('did:key:') ? await didKeyDocument(did) : did.startsWith('did:web:') ? await remoteDidWebDocument(did) : null;
  return document ? dereferenceDidUrl(document, didUrl) : null;
}

export const credentialDocumentLoader: () => DocumentLoader = () => makeDocumentLoader(resolveDidUrl);
