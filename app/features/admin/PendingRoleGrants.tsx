import { Form } from '@remix-run/react';
import type { Role } from '../../../db/schema/identity.js';
import { CsrfInput } from '../../components/CsrfInput.js';
import { formatDate, useLocale, useT } from '../i18n/i18n.js';

export type PendingGrant = { id: string; role: Role; proposedAt: string | Date; userId: string; proposedBy: string; person: string; proposer: string; institutionZh: string; institutionEn: string };

/** Proposed privileged grants with approve / reject, for any administrator other than the proposer. */
export function PendingRoleGrants({ grants, viewerId }: { grants: PendingGrant[]; viewerId: string }) {
  const t = useT();
  const locale = useLocale();
  return (
    <section aria-labelledby="pending-grants-title">
      <h2 id="pending-grants-title">{t('admin.people.pendingTitle')}</h2>
      <p className="muted">{t('admin.people.twoAdminsNote')}</p>
      {grants.length === 0 ? <p>{t('admin.people.pendingNone')}</p> : null}
      <ul>
        {grants.map((g) => {
          const line = t('admin.people.pendingLine', {
            institution: locale === 'en' ? g.institutionEn : g.institutionZh,
            role: t(`role.${g.role}`),
            person: g.person,
            proposer: g.proposer,
            date: formatDate(locale, new Date(g.proposedAt)),
          });
          return (
            <li key={g.id}>
              <a href={`/admin/people/${g.userId}`}>{line}</a>{' '}
              {g.proposedBy === viewerId || g.userId === viewerId ? null : (
                <Form method="post" action={`/admin/people/${g.userId}`} className="inline-form" aria-label={line}>
                  <CsrfInput />
                  <input type="hidden" name="proposalId" value={g.id} />
                  <button type="submit" name="intent" value="approve-grant" className="link-button">
                    {t('admin.people.approve')}
                  </button>{' '}
                  <button type="submit" name="intent" value="reject-grant" className="link-button">
                    {t('admin.people.reject')}
                  </button>
                </Form>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
