import { parseCreditTenths } from './credit-units.js';

// Do the tables agree with the ledger? Posted credits and credential statuses live in their
// own tables, which the application's role may update: an edit there without a ledger entry
// shows here. Pure: the verifier feeds it ledger entries and table rows.

export type LedgerFacts = {
  /** requestId → credits, from `credit.posted`. */
  posted: Map<string, string>;
  issued: Set<string>;
  revoked: Set<string>;
};

export type Disagreement = {
  table: 'credit_requests' | 'issued_credentials';
  rowId: string;
  column: string;
  inTable: string | null;
  inLedger: string | null;
};

export function emptyFacts(): LedgerFacts {
  return { posted: new Map(), issued: new Set(), revoked: new Set() };
}

const text = (v: unknown) => (typeof v === 'string' ? v : null);

export function collectFact(facts: LedgerFacts, entry: { kind: string; payload: unknown }): void {
  const p = (entry.payload ?? {}) as Record<string, unknown>;
  if (entry.kind === 'credit.posted' && text(p.requestId)) facts.posted.set(text(p.requestId)!, text(p.credits) ?? '');
  else if (entry.kind === 'credential.issued' && text(p.credentialId)) facts.issued.add(text(p.credentialId)!);
  else if (entry.kind === 'credential.revoked' && text(p.credentialId)) facts.revoked.add(text(p.credentialId)!);
}

const sameCredits = (a: string | null, b: string | null) => a !== null && b !== null && parseCreditTenths(a) !== null && parseCreditTenths(a) === parseCreditTenths(b);

/**
 * Posted requests (in the order they were posted) against `credit.posted` entries. Returns the
 * first disagreement, or the ledger's posted requests that no posted row accounts for (their
 * rows are looked up and judged by unpostedDisagreement).
 */
export function postedRowsDisagreement(facts: LedgerFacts, postedRows: readonly { id: string; awardedCredits: string | null }[]): { disagreement: Disagreement } | { unaccounted: string[] } {
  const seen = new Set<string>();
  for (const row of postedRows) {
    seen.add(row.id);
    const inLedger = facts.posted.get(row.id);
    if (inLedger === undefined) return { disagreement: { table: 'credit_requests', rowId: row.id, column: 'status', inTable: 'posted', inLedger: null } };
    if (!sameCredits(row.awardedCredits, inLedger)) return { disagreement: { table: 'credit_requests', rowId: row.id, column: 'awarded_credits', inTable: row.awardedCredits, inLedger } };
  }
  return { unaccounted: [...facts.posted.keys()].filter((id) => !seen.has(id)) };
}

/** A request the ledger posted whose row is no longer posted (or is gone). */
export function unpostedDisagreement(facts: LedgerFacts, requestId: string, row: { status: string } | undefined): Disagreement {
  return { table: 'credit_requests', rowId: requestId, column: row ? 'status' : 'row', inTable: row ? row.status : null, inLedger: `posted ${facts.posted.get(requestId)}` };
}

/** Every credential row against its issuance and revocation entries, then entries without a row. */
export function credentialDisagreement(facts: LedgerFacts, rows: readonly { id: string; revokedAt: Date | string | null }[]): Disagreement | null {
  const seen = new Set<string>();
  for (const row of rows) {
    seen.add(row.id);
    if (!facts.issued.has(row.id)) return { table: 'issued_credentials', rowId: row.id, column: 'row', inTable: 'issued', inLedger: null };
    const revokedInTable = row.revokedAt !== null;
    if (revokedInTable !== facts.revoked.has(row.id)) {
      return { table: 'issued_credentials', rowId: row.id, column: 'revoked_at', inTable: revokedInTable ? new Date(row.revokedAt!).toISOString() : null, inLedger: facts.revoked.has(row.id) ? 'revoked' : 'not revoked' };
    }
  }
  const missing = [...facts.issued].find((id) => !seen.has(id));
  return missing ? { table: 'issued_credentials', rowId: missing, column: 'row', inTable: null, inLedger: 'issued' } : null;
}

/** One line for a person: which table, which row, what differs. */
export function describeDisagreement(d: Disagreement): string {
  const row = `${d.table} row ${d.rowId}`;
  if (d.column === 'row') return d.inTable === null ? `${row} is missing, but the ledger records it as ${d.inLedger}` : `${row} (${d.inTable}) has no ledger entry`;
  return `${row}: ${d.column} is ${d.inTable ?? 'empty'} in the table, but the ledger says ${d.inLedger ?? 'nothing'}`;
}
