import type { VerificationOutcome } from './credential-verifier.server.js';

/** The largest credential accepted for verification (a pasted text or an uploaded file). */
export const maxCredentialBytes = 64 * 1024;

// What a verification outcome says to a person (message key + values) and to software (JSON).
// Pure, so the page and the API say the same thing.

export type Verdict = { key: `verify.verdict.${VerificationOutcome['status']}` | `verify.invalid.${NonNullable<VerificationOutcome['reason']>}`; params: Record<string, string> };

export function verdictOf(o: VerificationOutcome, unknown: string): Verdict {
  const s = o.summary;
  const params = {
    issuer: s ? (s.issuerName ? `${s.issuerName} (${s.issuerId})` : s.issuerId) : unknown,
    holder: s?.holder ?? unknown,
    achievement: s?.achievement ?? unknown,
    from: s?.validFrom?.slice(0, 10) ?? unknown,
    until: s?.validUntil?.slice(0, 10) ?? '',
    detail: o.detail ?? '',
  };
  if (o.status !== 'invalid') return { key: `verify.verdict.${o.status}`, params };
  return { key: `verify.invalid.${o.reason ?? 'malformed'}`, params };
}

export const publicOutcome = (o: VerificationOutcome) => ({
  valid: o.status === 'valid',
  status: o.status,
  revoked: o.status === 'revoked',
  reason: o.reason ?? (o.status === 'valid' ? null : o.status),
  detail: o.detail,
  format: o.format,
  issuer: o.summary ? { id: o.summary.issuerId, name: o.summary.issuerName } : null,
  summary: o.summary,
});
