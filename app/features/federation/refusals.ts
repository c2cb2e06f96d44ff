/** Why an IdP's answer was refused; each has its own message (sso.refused.<reason>). */
export const ssoRefusalReasons = [
  'no-flow',
  'state-mismatch',
  'nonce-mismatch',
  'issuer-mismatch',
  'cancelled',
  'idp-error',
  'foreign-scope',
  'no-subject',
  'unsigned',
  'bad-signature',
  'wrong-audience',
  'expired',
  'replayed',
  'unexpected-response',
  'invalid-response',
  'ticket-invalid',
  'not-configured',
  'address-in-use',
  'idp-unreachable',
] as const;
export type SsoRefusalReason = (typeof ssoRefusalReasons)[number];

export class SsoRefusal extends Error {
  constructor(
    readonly reason: SsoRefusalReason,
    /** For the audit log only: never shown to the person, never holds a secret. */
    readonly detail?: string,
  ) {
    super(`${reason}${detail ? `: ${detail}` : ''}`);
  }
}
