import type { MembershipVerification as Method } from '../../db/schema/identity.js';
import { formatDate, useLocale, useT } from '../features/i18n/i18n.js';

export type VerificationFacts = { verification: Method | null; verifiedAt: string | Date | null; verifiedByName: string | null };

/** How a membership was verified: method, who (for a registrar's approval or a grant), when. "Not verified" stands out. */
export function MembershipVerification({ facts }: { facts: VerificationFacts }) {
  const t = useT();
  const locale = useLocale();
  if (!facts.verification) return <>—</>;
  if (facts.verification === 'self-declared') return <strong className="badge warn">{t('membership.verification.self-declared')}</strong>;
  const method = t(`membership.verification.${facts.verification}`);
  if (!facts.verifiedAt) return <>{method}</>;
  const date = formatDate(locale, new Date(facts.verifiedAt));
  return <>{facts.verifiedByName ? t('membership.verification.by', { method, who: facts.verifiedByName, date }) : t('membership.verification.at', { method, date })}</>;
}
