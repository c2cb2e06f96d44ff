import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { roles } from '../../db/schema/identity.js';
import { CsrfInput } from '../components/CsrfInput.js';
import { IntentButton } from '../components/IntentButton.js';
import { listInstitutionsWithCounts } from '../features/admin/institutions.server.js';
import { viewPerson } from '../features/admin/people.server.js';
import { PendingRoleGrants } from '../features/admin/PendingRoleGrants.js';
import { decideRoleGrant, grantRole, listPendingGrants, revokeRole, type DecisionOutcome, type GrantOutcome } from '../features/admin/role-grants.server.js';
import { decideGrantSchema, grantRoleSchema, revokeRoleSchema } from '../features/admin/schemas.js';
import { parseForm } from '../features/forms.server.js';
import { useLocale, useT, type MessageKey } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { requirePermission } from '../features/identity/guards.server.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'admin.people');

const roleFormSchema = z.discriminatedUnion('intent', [grantRoleSchema, revokeRoleSchema, ...decideGrantSchema.options]);
const userIdSchema = z.string().uuid();

function parseUserId(params: { userId?: string }): string {
  const parsed = userIdSchema.safeParse(params.userId);
  if (!parsed.success) throw data({ reason: 'not-found' as const }, { status: 404 });
  return parsed.data;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const admin = await requirePermission(request, context, 'admin:people');
  const userId = parseUserId(params);
  const view = await viewPerson(userId, admin.id, context.clientIp);
  if (!view) throw data({ reason: 'not-found' as const }, { status: 404 });
  return { ...view, viewerId: admin.id, pending: await listPendingGrants(userId), institutions: await listInstitutionsWithCounts() };
}

const grantAnswers: Record<Exclude<GrantOutcome, 'not-found'>, [MessageKey, number]> = {
  granted: ['admin.people.granted', 200],
  proposed: ['admin.people.proposed', 202],
  exists: ['admin.people.alreadyHas', 409],
  'already-proposed': ['admin.people.alreadyProposed', 409],
  self: ['admin.people.selfGrant', 403],
};
const decisionAnswers: Record<DecisionOutcome, [MessageKey, number]> = {
  approved: ['admin.people.approved', 200],
  rejected: ['admin.people.rejected', 200],
  'own-proposal': ['admin.people.approveOwnProposal', 403],
  'own-role': ['admin.people.approveOwnRole', 403],
  gone: ['admin.people.proposalGone', 409],
};

export async function action({ request, context, params }: ActionFunctionArgs) {
  const admin = await requirePermission(request, context, 'admin:roles');
  const userId = parseUserId(params);
  const { submission } = await parseForm(request, roleFormSchema);
  if (submission.status !== 'success') return data({ notice: 'errors.formInvalid' as MessageKey, ok: false }, { status: 400 });
  const v = submission.value;
  if (v.intent === 'grant') {
    const outcome = await grantRole({ userId, institutionId: v.institutionId, role: v.role }, admin.id, context.clientIp);
    if (outcome === 'not-found') throw data({ reason: 'not-found' as const }, { status: 404 });
    const [notice, status] = grantAnswers[outcome];
    return data({ notice, ok: status < 300 }, { status });
  }
  if (v.intent === 'approve-grant' || v.intent === 'reject-grant') {
    const outcome = await decideRoleGrant(v.proposalId, v.intent === 'approve-grant' ? 'approve' : 'reject', admin.id, context.clientIp);
    const [notice, status] = decisionAnswers[outcome];
    return data({ notice, ok: status < 300 }, { status });
  }
  const outcome = await revokeRole(v.membershipId, admin.id, context.clientIp);
  if (outcome === 'last-admin') return data({ notice: 'admin.people.lastAdmin' as MessageKey, ok: false }, { status: 409 });
  if (outcome === 'not-found') throw data({ reason: 'not-found' as const }, { status: 404 });
  return { notice: 'admin.people.revoked' as MessageKey, ok: true };
}

export default function PersonAdmin() {
  const { person, roles: memberships, institutions, pending, viewerId } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  return (
    <>
      <p className="notice warn">{t('admin.people.viewNotice')}</p>
      {actionData ? (
        <p className={actionData.ok ? 'notice ok' : 'notice warn'} role={actionData.ok ? 'status' : 'alert'}>
          {t(actionData.notice)}
        </p>
      ) : null}
      <h2>
        {person.displayName ?? person.pseudonym} {person.erasedAt ? t('admin.people.erased') : ''}
      </h2>
      <dl>
        <dt>{t('account.email')}</dt>
        <dd>{person.email ?? '—'}</dd>
        <dt>{t('account.pseudonym')}</dt>
        <dd>{person.pseudonym}</dd>
      </dl>
      <h2>{t('account.memberships')}</h2>
      {memberships.length === 0 ? <p>{t('common.none')}</p> : null}
      <ul>
        {memberships.map((m) => (
          <li key={m.id}>
            {t('home.membership', { institution: locale === 'en' ? m.nameEn : m.nameZh, role: t(`role.${m.role}`) })}{' '}
            <IntentButton intent="revoke" fields={{ membershipId: m.id }} label={t('admin.people.revoke')} inline />
          </li>
        ))}
      </ul>
      <PendingRoleGrants grants={pending} viewerId={viewerId} />
      {person.erasedAt || person.id === viewerId ? null : (
        <>
          <h2 id="grant-title">{t('admin.people.grant')}</h2>
          <p className="muted">{t('admin.people.twoAdminsNote')}</p>
          <Form method="post" className="row-form" aria-labelledby="grant-title">
            <CsrfInput />
            <input type="hidden" name="intent" value="grant" />
            <div className="field">
              <label htmlFor="grant-institution">{t('admin.people.institution')}</label>
              <select id="grant-institution" name="institutionId" required>
                {institutions.map((i) => (
                  <option key={i.id} value={i.id}>
                    {locale === 'en' ? i.nameEn : i.nameZh}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="grant-role">{t('members.role')}</label>
              <select id="grant-role" name="role" required>
                {roles.map((r) => (
                  <option key={r} value={r}>
                    {t(`role.${r}`)}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" className="button">
              {t('admin.people.grantSubmit')}
            </button>
          </Form>
        </>
      )}
    </>
  );
}
