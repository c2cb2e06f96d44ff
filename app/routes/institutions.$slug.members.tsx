import { data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { findInstitutionBySlug, listMembers } from '../features/admin/members.server.js';
import { TableScroll } from '../components/TableScroll.js';
import { formatDate, useLocale, useT } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { requirePermission } from '../features/identity/guards.server.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'members.title', { institution: '' });

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const institution = await findInstitutionBySlug(params.slug ?? '');
  if (!institution) throw data({ reason: 'not-found' as const }, { status: 404 });
  const viewer = await requirePermission(request, context, 'institution:members', { institutionId: institution.id });
  return { institution, members: await listMembers(institution.id, viewer.id, context.clientIp) };
}

export default function MembersPage() {
  const { institution, members } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  return (
    <section aria-labelledby="members-title">
      <h1 id="members-title">{t('members.title', { institution: locale === 'en' ? institution.nameEn : institution.nameZh })}</h1>
      <p className="notice warn">{t('members.notice')}</p>
      {members.length === 0 ? (
        <p>{t('members.none')}</p>
      ) : (
        <TableScroll label={t('members.title', { institution: locale === 'en' ? institution.nameEn : institution.nameZh })}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('members.name')}</th>
                <th scope="col">{t('members.email')}</th>
                <th scope="col">{t('members.role')}</th>
                <th scope="col">{t('members.since')}</th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <tr key={m.id}>
                  <td>{m.displayName ?? m.pseudonym}</td>
                  <td>{m.email ?? '—'}</td>
                  <td>{t(`role.${m.role}`)}</td>
                  <td>{formatDate(locale, m.since)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}
