import { bigserial, boolean, index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { users } from './identity.js';
import { institutions } from './places.js';

/** What the ledger records; verification hashes any kind alike, so adding one needs no migration. */
export const ledgerEntryKinds = [
  'credit.decided',
  'credit.posted',
  'credential.issued',
  'credential.revoked',
  'signing-key.created',
  'signing-key.retired',
  'rule.created',
  'rule.changed',
  'conversion-table.added',
  'role.granted',
  'role.revoked',
] as const;
export type LedgerEntryKind = (typeof ledgerEntryKinds)[number];

/**
 * Hash chain of credit decisions and credential events. `hash` = sha256 over the canonical
 * JSON of {prevHash, kind, payload, occurredAt}; `seq` only orders the rows (a rolled-back
 * append leaves a gap, so gaps are not evidence of deletion; broken links are).
 */
export const ledgerEntries = pgTable('ledger_entries', {
  seq: bigserial({ mode: 'number' }).primaryKey(),
  kind: text().$type<LedgerEntryKind>().notNull(),
  payload: jsonb().$type<Record<string, unknown>>().notNull(),
  occurredAt: text().notNull(),
  prevHash: text().notNull(),
  hash: text().notNull().unique(),
});

/**
 * The chain's head as the platform signed it: anyone who keeps one can later check that the
 * first `treeSize` entries still end in `headHash` (docs/ledger.md). Append-only like the
 * entries. `signature` is Ed25519 (base64url) over checkpointMessage(); `keyId` names the
 * platform key (a JWK thumbprint).
 */
export const ledgerCheckpoints = pgTable('ledger_checkpoints', {
  id: bigserial({ mode: 'number' }).primaryKey(),
  treeSize: integer().notNull(),
  headHash: text().notNull(),
  /** ISO 8601 UTC, as signed. */
  signedAt: text().notNull(),
  keyId: text().notNull(),
  publicJwk: jsonb().$type<{ kty: 'OKP'; crv: 'Ed25519'; x: string }>().notNull(),
  signature: text().notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** Ed25519 signing key of an institution; the private half sealed with AES-256-GCM. */
export const institutionSigningKeys = pgTable(
  'institution_signing_keys',
  {
    id: uuid().primaryKey().defaultRandom(),
    institutionId: uuid()
      .notNull()
      .references(() => institutions.id, { onDelete: 'restrict' }),
    publicJwk: jsonb().$type<{ kty: 'OKP'; crv: 'Ed25519'; x: string }>().notNull(),
    sealedPrivateKey: text().notNull(),
    active: boolean().notNull().default(true),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('institution_signing_keys_institution_idx').on(t.institutionId, t.active)],
);

export const credentialKinds = ['course-completion', 'credit-recognition'] as const;
export type CredentialKind = (typeof credentialKinds)[number];

export const issuedCredentials = pgTable(
  'issued_credentials',
  {
    id: uuid().primaryKey().defaultRandom(),
    institutionId: uuid()
      .notNull()
      .references(() => institutions.id, { onDelete: 'restrict' }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    kind: text().$type<CredentialKind>().notNull(),
    /** The credit request or completion record the credential attests. */
    subjectRef: uuid().notNull(),
    /** Index into the institution's Bitstring Status List. */
    statusIndex: integer().notNull(),
    keyId: uuid()
      .notNull()
      .references(() => institutionSigningKeys.id, { onDelete: 'restrict' }),
    jwt: text().notNull(),
    /** The same credential secured with an embedded Data Integrity proof (eddsa-rdfc-2022); null for credentials issued before it existed. */
    document: jsonb().$type<Record<string, unknown>>(),
    issuedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp({ withTimezone: true }),
    revokedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    revocationReason: text(),
  },
  (t) => [
    unique('issued_credentials_status_index').on(t.institutionId, t.statusIndex),
    unique('issued_credentials_once_per_subject').on(t.kind, t.subjectRef),
    index('issued_credentials_user_idx').on(t.userId),
  ],
);

/**
 * Each institution's Bitstring Status List credential, signed once per change (issuance of
 * the first credential, a revocation, a key rotation, or the list nearing `validUntil`) and
 * served from memory: a request never signs.
 */
export const credentialStatusLists = pgTable('credential_status_lists', {
  institutionId: uuid()
    .primaryKey()
    .references(() => institutions.id, { onDelete: 'restrict' }),
  /** Bumped on every rebuild, so a web process can tell that its cached copy is stale. */
  version: integer().notNull().default(1),
  /** The list with its embedded Data Integrity proof. */
  document: jsonb().$type<Record<string, unknown>>().notNull(),
  /** The same list as a vc+jwt, for verifiers that speak only JOSE. */
  jwt: text().notNull(),
  keyId: uuid()
    .notNull()
    .references(() => institutionSigningKeys.id, { onDelete: 'restrict' }),
  builtAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  validUntil: timestamp({ withTimezone: true }).notNull(),
});

export type LedgerEntry = typeof ledgerEntries.$inferSelect;
export type LedgerCheckpointRow = typeof ledgerCheckpoints.$inferSelect;
export type IssuedCredential = typeof issuedCredentials.$inferSelect;
