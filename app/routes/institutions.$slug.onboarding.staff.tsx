import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { invitableRoles } from '../../db/schema/onboarding.js';
import { Field, FormErrors, SelectField } from '../components/Field.js';
import { CsrfInput } from '../components/CsrfInput.js';
import { IntentButton } from '../components/IntentButton.js';
import { TableScroll } from '../components/TableScroll.js';
import { parseForm } from '../features/forms.server.js';
import { formatDate, useLocale, useT, type MessageKey } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { requireInstitutionConsole } from '../features/onboarding/console-access.server.js';
import { staffActionSchema } from '../features/onboarding/schemas.js';
import { inviteStaff, listPendingInvitations, listStaff, revokeInvitation, revokeStaff } from '../features/onboarding/staff.server.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'onboard.staff');

type Notice = { ok: boolean; key: MessageKey };

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { institution } = await requireInstitutionConsole(request, context, params.slug);
  const [staff, invitations] = await Promise.all([listStaff(institution.id), listPendingInvitations(institution.id)]);
  return { staff, invitations };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { institution, admin } = await requireInstitutionConsole(request, context, params.slug);
  const { submission } = await parseForm(request, staffActionSchema);
  if (submission.status !== 'success') return data({ result: submission.reply(), notice: null as Notice | null }, { status: 400 });
  const v = submission.value;
  const ip = context.clientIp;
  if (v.intent === 'invite') {
    const outcome = await inviteStaff(institution, admin, v.email, v.role, ip);
    if (outcome === 'already-member') return data({ result: submission.reply({ fieldErrors: { email: ['onboard.staff.alreadyMember'] } }), notice: null }, { status: 409 });
    const notice: Notice = { ok: true, key: 'onboard.staff.invited' };
    return { result: submission.reply({ resetForm: true }), notice };
  }
  const done = v.intent === 'revoke-invitation' ? await revokeInvitation(institution.id, v.invitationId, admin.id, ip) : await revokeStaff(institution.id, v.membershipId, admin.id, ip);
  const notice: Notice = done ? { ok: true, key: 'onboard.staff.revoked' } : { ok: false, key: 'onboard.notFound' };
  return data({ result: null, notice }, { status: done ? 200 : 404 });
}

export default function StaffPage() {
  const { staff, invitations } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  const [form, fields] = useForm({ id: 'invite', lastResult: actionData?.result ?? undefined, onValidate: ({ formData }) => parseWithZod(formData, { schema: staffActionSchema }) });
  const notice = actionData?.notice;
  return (
    <section aria-labelledby="staff-title">
      <h1 id="staff-title">{t('onboard.staff')}</h1>
      {notice ? (
        <div className={`notice ${notice.ok ? 'ok' : 'warn'}`} role={notice.ok ? 'status' : 'alert'}>
          <p>{t(notice.key)}</p>
        </div>
      ) : null}
      <h2 id="invite-title">{t('onboard.staff.invite')}</h2>
      <p className="hint">{t('onboard.staff.inviteHint')}</p>
      <Form method="post" className="stacked" aria-labelledby="invite-title" {...getFormProps(form)}>
        <CsrfInput />
        <input type="hidden" name="intent" value="invite" />
        <FormErrors id={form.errorId} errors={form.errors} />
        <Field field={fields.email} label={t('onboard.staff.email')} type="email" autoComplete="off" />
        <SelectField field={fields.role} label={t('onboard.staff.role')} placeholder="—" options={invitableRoles.map((r) => ({ value: r, label: t(`role.${r}`) }))} />
        <button type="submit" className="button">
          {t('onboard.staff.send')}
        </button>
      </Form>
      <h2>{t('onboard.staff.pending')}</h2>
      {invitations.length === 0 ? (
        <p className="muted">{t('onboard.staff.noPending')}</p>
      ) : (
        <TableScroll label={t('onboard.staff.pending')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('onboard.staff.email')}</th>
                <th scope="col">{t('onboard.staff.role')}</th>
                <th scope="col">{t('onboard.staff.expires')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {invitations.map((i) => (
                <tr key={i.id}>
                  <td>{i.email}</td>
                  <td>{t(`role.${i.role}`)}</td>
                  <td>{formatDate(locale, new Date(i.expiresAt))}</td>
                  <td>
                    <IntentButton intent="revoke-invitation" fields={{ invitationId: i.id }} label={t('onboard.staff.withdraw')} inline />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <h2>{t('onboard.staff.current')}</h2>
      {staff.length === 0 ? (
        <p className="muted">{t('onboard.staff.none')}</p>
      ) : (
        <TableScroll label={t('onboard.staff.current')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('members.name')}</th>
                <th scope="col">{t('onboard.staff.email')}</th>
                <th scope="col">{t('onboard.staff.role')}</th>
                <th scope="col">{t('onboard.verification')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {staff.map((s) => (
                <tr key={s.membershipId}>
                  <td>{s.displayName ?? s.pseudonym}</td>
                  <td>{s.email ?? '—'}</td>
                  <td>{t(`role.${s.role}`)}</td>
                  <td>{t(`verification.${s.verification}`)}</td>
                  <td>
                    <IntentButton intent="revoke-staff" fields={{ membershipId: s.membershipId }} label={t('onboard.staff.revoke')} inline />
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
