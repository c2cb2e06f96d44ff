import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { IntentButton } from '../components/IntentButton.js';
import { MembershipVerification } from '../components/MembershipVerification.js';
import { approveMembership, findInstitutionBySlug, listMembers } from '../features/admin/members.server.js';
import { TableScroll } from '../components/TableScroll.js';
import { parseForm } from '../features/forms.server.js';
import { formatDate, useLocale, useT, type MessageKey } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { requirePermission } from '../features/identity/guards.server.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'members.title', { institution: '' });

const approveSchema = z.object({ intent: z.literal('approve-membership'), membershipId: z.string().uuid() });

async function requireMembersOf(request: Request, context: Parameters<typeof requirePermission>[1], slug: string | undefined) {
  const institution = await findInstitutionBySlug(slug ?? '');
  if (!institution) throw data({ reason: 'not-found' as const }, { status: 404 });
  const viewer = await requirePermission(request, context, 'institution:members', { institutionId: institution.id });
  return { institution, viewer };
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { institution, viewer } = await requireMembersOf(request, context, params.slug);
  return { institution, members: await listMembers(institution.id, viewer.id, context.clientIp) };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { institution, viewer } = await requireMembersOf(request, context, params.slug);
  const { submission } = await parseForm(request, approveSchema);
  if (submission.status !== 'success') return data({ notice: 'errors.formInvalid' as MessageKey, ok: false }, { status: 400 });
  const outcome = await approveMembership(submission.value.membershipId, institution.id, viewer.id, context.clientIp);
  if (outcome === 'gone') return data({ notice: 'members.approveGone' as MessageKey, ok: false }, { status: 409 });
  return { notice: 'members.approved' as MessageKey, ok: true };
}

export default function MembersPage() {
  const { institution, members } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  return (
    <section aria-labelledby="members-title">
      <h1 id="members-title">{t('members.title', { institution: locale === 'en' ? institution.nameEn : institution.nameZh })}</h1>
      <p className="notice warn">{t('members.notice')}</p>
      {actionData ? (
        <p className={actionData.ok ? 'notice ok' : 'notice warn'} role={actionData.ok ? 'status' : 'alert'}>
          {t(actionData.notice)}
        </p>
      ) : null}
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
                <th scope="col">{t('members.verification')}</th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <tr key={m.id}>
                  <td>{m.displayName ?? m.pseudonym}</td>
                  <td>{m.email ?? '—'}</td>
                  <td>{t(`role.${m.role}`)}</td>
                  <td>{formatDate(locale, m.since)}</td>
                  <td>
                    <MembershipVerification facts={m} />
                    {m.verification === 'self-declared' ? <IntentButton intent="approve-membership" fields={{ membershipId: m.id }} label={t('members.approve')} /> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}
