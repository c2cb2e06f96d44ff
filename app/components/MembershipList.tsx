import type { Role } from '../../db/schema/identity.js';
import { useLocale, useT } from '../features/i18n/i18n.js';

export type MembershipItem = { institutionId: string; role: Role; institutionNameZh: string; institutionNameEn: string };

/** "Institution · Role", in the reader's language, for each institution and role a person holds. */
export function MembershipList({ memberships }: { memberships: MembershipItem[] }) {
  const t = useT();
  const locale = useLocale();
  return (
    <ul>
      {memberships.map((m) => (
        <li key={`${m.institutionId}-${m.role}`}>
          {t('home.membership', { institution: locale === 'en' ? m.institutionNameEn : m.institutionNameZh, role: t(`role.${m.role}`) })}
        </li>
      ))}
    </ul>
  );
}
