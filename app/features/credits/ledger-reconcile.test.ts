import { describe, expect, it } from 'vitest';
import { collectFact, credentialDisagreement, describeDisagreement, emptyFacts, postedRowsDisagreement, unpostedDisagreement } from './ledger-reconcile.js';

function facts() {
  const f = emptyFacts();
  collectFact(f, { kind: 'credit.decided', payload: { requestId: 'r1', credits: '3.0' } });
  collectFact(f, { kind: 'credit.posted', payload: { requestId: 'r1', credits: '3.0' } });
  collectFact(f, { kind: 'credit.posted', payload: { requestId: 'r2', credits: '4.0' } });
  collectFact(f, { kind: 'credential.issued', payload: { credentialId: 'c1' } });
  collectFact(f, { kind: 'credential.issued', payload: { credentialId: 'c2' } });
  collectFact(f, { kind: 'credential.revoked', payload: { credentialId: 'c2' } });
  collectFact(f, { kind: 'role.granted', payload: { userId: 'u1' } }); // any other kind is carried, not judged
  return f;
}

describe('posted credits against the ledger', () => {
  it('agree when every posted row has its entry with the same credits (3 equals 3.0)', () => {
    expect(postedRowsDisagreement(facts(), [{ id: 'r1', awardedCredits: '3' }, { id: 'r2', awardedCredits: '4.0' }])).toEqual({ unaccounted: [] });
  });

  it('names a row whose credits were edited, and one posted without an entry', () => {
    expect(postedRowsDisagreement(facts(), [{ id: 'r1', awardedCredits: '9.0' }])).toEqual({ disagreement: { table: 'credit_requests', rowId: 'r1', column: 'awarded_credits', inTable: '9.0', inLedger: '3.0' } });
    const r = postedRowsDisagreement(facts(), [{ id: 'r1', awardedCredits: '3.0' }, { id: 'r3', awardedCredits: '2.0' }, { id: 'r2', awardedCredits: '4.0' }]);
    expect(r).toEqual({ disagreement: { table: 'credit_requests', rowId: 'r3', column: 'status', inTable: 'posted', inLedger: null } });
    expect(describeDisagreement((r as { disagreement: never }).disagreement)).toBe('credit_requests row r3: status is posted in the table, but the ledger says nothing');
  });

  it('hands back entries whose rows are no longer posted, and names them', () => {
    const f = facts();
    expect(postedRowsDisagreement(f, [{ id: 'r2', awardedCredits: '4.0' }])).toEqual({ unaccounted: ['r1'] });
    expect(unpostedDisagreement(f, 'r1', { status: 'denied' })).toEqual({ table: 'credit_requests', rowId: 'r1', column: 'status', inTable: 'denied', inLedger: 'posted 3.0' });
    expect(describeDisagreement(unpostedDisagreement(f, 'r1', undefined))).toBe('credit_requests row r1 is missing, but the ledger records it as posted 3.0');
  });
});

describe('credential statuses against the ledger', () => {
  it('agree when issuance and revocation match', () => {
    expect(credentialDisagreement(facts(), [{ id: 'c1', revokedAt: null }, { id: 'c2', revokedAt: new Date('2026-12-01T00:00:00Z') }])).toBeNull();
  });

  it('names a revocation undone or made behind the ledger, an unrecorded credential and a missing row', () => {
    expect(credentialDisagreement(facts(), [{ id: 'c1', revokedAt: null }, { id: 'c2', revokedAt: null }])).toEqual({ table: 'issued_credentials', rowId: 'c2', column: 'revoked_at', inTable: null, inLedger: 'revoked' });
    expect(credentialDisagreement(facts(), [{ id: 'c1', revokedAt: '2026-12-01T00:00:00Z' }])).toMatchObject({ rowId: 'c1', column: 'revoked_at', inTable: '2026-12-01T00:00:00.000Z', inLedger: 'not revoked' });
    expect(credentialDisagreement(facts(), [{ id: 'c9', revokedAt: null }])).toEqual({ table: 'issued_credentials', rowId: 'c9', column: 'row', inTable: 'issued', inLedger: null });
    expect(credentialDisagreement(facts(), [{ id: 'c1', revokedAt: null }])).toEqual({ table: 'issued_credentials', rowId: 'c2', column: 'row', inTable: null, inLedger: 'issued' });
  });
});
