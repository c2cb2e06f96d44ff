import { and, asc, eq, ilike, or } from 'drizzle-orm';
import { identityProviders, institutions, type IdentityProvider, type SsoProtocol, type SsoStaffRole } from '../../../db/schema/index.js';
import { OIDC_CLIENT_SECRET_PURPOSE, sealSecret, unsealSecret } from '../../../db/sealed-secret.js';
import { getEnv } from '../../env.server.js';
import { getServices } from '../../services.server.js';
import { recordAudit } from '../audit/audit.server.js';

export type InstitutionRef = { id: string; slug: string; nameZh: string; nameEn: string };
export type ProviderWithInstitution = { institution: InstitutionRef; provider: IdentityProvider };

const institutionColumns = { id: institutions.id, slug: institutions.slug, nameZh: institutions.nameZh, nameEn: institutions.nameEn };

export async function findInstitutionBySlug(slug: string): Promise<InstitutionRef | null> {
  const [row] = await getServices().db.select(institutionColumns).from(institutions).where(eq(institutions.slug, slug));
  return row ?? null;
}

/** The institution and its enabled identity provider, or null when it has none switched on. */
export async function enabledProviderFor(slug: string): Promise<ProviderWithInstitution | null> {
  const [row] = await getServices()
    .db.select({ institution: institutionColumns, provider: identityProviders })
    .from(identityProviders)
    .innerJoin(institutions, eq(institutions.id, identityProviders.institutionId))
    .where(and(eq(institutions.slug, slug), eq(identityProviders.enabled, true)));
  return row ?? null;
}

export async function providerSettings(institutionId: string): Promise<IdentityProvider | null> {
  const [row] = await getServices().db.select().from(identityProviders).where(eq(identityProviders.institutionId, institutionId));
  return row ?? null;
}

export type SsoButton = { slug: string; labelZh: string; labelEn: string; nameZh: string; nameEn: string };

/** Institutions offering SSO on the login page, filtered by name or slug when a query is given. */
export async function listSsoButtons(query: string, limit: number): Promise<{ buttons: SsoButton[]; total: number }> {
  const { db } = getServices();
  const base = db
    .select({ slug: institutions.slug, labelZh: identityProviders.displayNameZh, labelEn: identityProviders.displayNameEn, nameZh: institutions.nameZh, nameEn: institutions.nameEn })
    .from(identityProviders)
    .innerJoin(institutions, eq(institutions.id, identityProviders.institutionId));
  const all = await base.where(eq(identityProviders.enabled, true)).orderBy(asc(institutions.nameZh));
  const q = query.trim();
  if (!q) return { buttons: all.slice(0, limit), total: all.length };
  const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const matching = await base
    .where(
      and(
        eq(identityProviders.enabled, true),
        or(ilike(institutions.nameZh, pattern), ilike(institutions.nameEn, pattern), ilike(institutions.slug, pattern), ilike(identityProviders.displayNameZh, pattern)),
      ),
    )
    .orderBy(asc(institutions.nameZh))
    .limit(limit);
  return { buttons: matching, total: all.length };
}

export function oidcClientSecret(provider: IdentityProvider): string | null {
  if (!provider.oidcClientSecretSealed) return null;
  return unsealSecret(provider.oidcClientSecretSealed, getEnv().SESSION_SECRET, OIDC_CLIENT_SECRET_PURPOSE);
}

export type ProviderSettingsInput = {
  protocol: SsoProtocol;
  enabled: boolean;
  displayNameZh: string;
  displayNameEn: string;
  scopes: string[];
  staffRole: SsoStaffRole | null;
  samlMetadataUrl: string | null;
  samlMetadataXml: string | null;
  oidcIssuer: string | null;
  oidcClientId: string | null;
  /** Null keeps the stored secret; a value replaces it. */
  oidcClientSecret: string | null;
  casBaseUrl: string | null;
};

/** Creates or replaces the institution's provider settings; the audit entry never holds the secret. */
export async function saveProviderSettings(institutionId: string, input: ProviderSettingsInput, actorUserId: string, ip: string): Promise<void> {
  const { oidcClientSecret: secret, ...fields } = input;
  const sealed = secret ? { oidcClientSecretSealed: sealSecret(secret, getEnv().SESSION_SECRET, OIDC_CLIENT_SECRET_PURPOSE) } : {};
  const values = { ...fields, ...sealed, updatedBy: actorUserId, updatedAt: new Date() };
  await getServices().db.transaction(async (tx) => {
    await tx
      .insert(identityProviders)
      .values({ institutionId, ...values })
      .onConflictDoUpdate({ target: identityProviders.institutionId, set: values });
    await recordAudit(tx, {
      action: 'sso.settings-saved',
      actorUserId,
      institutionId,
      ip,
      details: { ...fields, samlMetadataXml: fields.samlMetadataXml ? `${fields.samlMetadataXml.length} characters` : null, oidcClientSecretChanged: Boolean(secret) },
    });
  });
}

export async function findInstitutionById(id: string): Promise<InstitutionRef | null> {
  const [row] = await getServices().db.select(institutionColumns).from(institutions).where(eq(institutions.id, id));
  return row ?? null;
}
