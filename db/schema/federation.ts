import { boolean, index, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { users } from './identity.js';
import { institutions } from './places.js';

export const ssoProtocols = ['oidc', 'saml', 'cas'] as const;
export type SsoProtocol = (typeof ssoProtocols)[number];

/** The only roles an institution's SSO may give staff; registrar and admin are never granted by an IdP. */
export const ssoStaffRoles = ['teacher', 'assistant'] as const;
export type SsoStaffRole = (typeof ssoStaffRoles)[number];

/**
 * One institution's identity provider, set in the admin console. Only the fields of its
 * protocol are used; the OIDC client secret is sealed (AES-256-GCM) and never shown again.
 */
export const identityProviders = pgTable('identity_providers', {
  id: uuid().primaryKey().defaultRandom(),
  institutionId: uuid()
    .notNull()
    .unique()
    .references(() => institutions.id, { onDelete: 'cascade' }),
  protocol: text().$type<SsoProtocol>().notNull(),
  enabled: boolean().notNull().default(false),
  /** What the login button says, e.g. 福州大学统一身份认证. */
  displayNameZh: text().notNull(),
  displayNameEn: text().notNull(),
  /** Scopes (DNS domains) this institution owns: eduPersonScopedAffiliation and eppn must carry one. */
  scopes: text().array().notNull().default([]),
  /** Role for staff/faculty/employee affiliations; null: staff sign in without a role. */
  staffRole: text().$type<SsoStaffRole>(),
  samlMetadataUrl: text(),
  samlMetadataXml: text(),
  oidcIssuer: text(),
  oidcClientId: text(),
  oidcClientSecretSealed: text(),
  casBaseUrl: text(),
  updatedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** A person as their institution's IdP names them (eppn, pairwise-id, OIDC sub, CAS user), tied to one account. */
export const externalIdentities = pgTable(
  'external_identities',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    institutionId: uuid()
      .notNull()
      .references(() => institutions.id, { onDelete: 'cascade' }),
    protocol: text().$type<SsoProtocol>().notNull(),
    subject: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastSignInAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('external_identities_subject_key').on(t.institutionId, t.protocol, t.subject),
    index('external_identities_user_idx').on(t.userId),
  ],
);

export type IdentityProvider = typeof identityProviders.$inferSelect;
export type NewIdentityProvider = typeof identityProviders.$inferInsert;
export type ExternalIdentity = typeof externalIdentities.$inferSelect;
