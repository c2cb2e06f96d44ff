/**
 * The database DATABASE_URL names, reached as its owner: migrations create and alter tables,
 * which the application's own role may not (docs/ledger.md). Without DATABASE_OWNER_USER the
 * URL is used as given (one role for everything, as an operator may run it).
 */
export function ownerDatabaseUrl(databaseUrl: string, owner: { user?: string; password?: string }): string {
  if (!owner.user) return databaseUrl;
  const url = new URL(databaseUrl);
  url.username = encodeURIComponent(owner.user);
  url.password = owner.password ? encodeURIComponent(owner.password) : '';
  return url.toString();
}
