import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { pick } from '../components/catalog/labels.js';
import { CsrfInput } from '../components/CsrfInput.js';
import { parseForm } from '../features/forms.server.js';
import { translateError, useLocale, useT } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { requireUser } from '../features/identity/guards.server.js';
import { listUnverifiedMemberships, sendMembershipCode, verifyMembershipCode } from '../features/onboarding/mail-domains.server.js';
import { verifyMembershipSchema } from '../features/onboarding/schemas.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'onboard.verify.title');

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { memberships: await listUnverifiedMemberships(user.id) };
}

const sentStatus = { sent: 200, 'not-member': 404, 'domain-not-registered': 422, 'too-many': 429 } as const;
const checkedStatus = { verified: 200, wrong: 422, expired: 410 } as const;

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const { submission } = await parseForm(request, verifyMembershipSchema);
  if (submission.status !== 'success') return data({ key: Object.values(submission.error ?? {}).flat()[0] ?? 'errors.formInvalid', ok: false, institutionId: null as string | null }, { status: 400 });
  const v = submission.value;
  if (v.intent === 'send') {
    const outcome = await sendMembershipCode(user.id, user.locale, v.institutionId, v.email);
    return data({ key: `onboard.verify.sent.${outcome}`, ok: outcome === 'sent', institutionId: v.institutionId }, { status: sentStatus[outcome] });
  }
  const outcome = await verifyMembershipCode(user.id, v.institutionId, v.code, context.clientIp);
  return data({ key: `onboard.verify.checked.${outcome}`, ok: outcome === 'verified', institutionId: outcome === 'verified' ? null : v.institutionId }, { status: checkedStatus[outcome] });
}

export default function VerifyMembership() {
  const { memberships } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  return (
    <section aria-labelledby="verify-title">
      <h1 id="verify-title">{t('onboard.verify.title')}</h1>
      <p>{t('onboard.verify.body')}</p>
      {actionData ? (
        <p className={`notice ${actionData.ok ? 'ok' : 'warn'}`} role={actionData.ok ? 'status' : 'alert'}>
          {translateError(locale, actionData.key)}
        </p>
      ) : null}
      {memberships.length === 0 ? <p>{t('onboard.verify.none')}</p> : null}
      {memberships.map((m) => (
        <article key={m.institutionId} className="panel" aria-labelledby={`verify-${m.slug}`}>
          <h2 id={`verify-${m.slug}`}>{pick(locale, m.nameZh, m.nameEn)}</h2>
          {m.domains.length === 0 ? (
            <p className="muted">{t('onboard.verify.noDomains')}</p>
          ) : (
            <>
              <Form method="post" className="stacked">
                <CsrfInput />
                <input type="hidden" name="intent" value="send" />
                <input type="hidden" name="institutionId" value={m.institutionId} />
                <div className="field">
                  <label htmlFor={`email-${m.slug}`}>{t('onboard.verify.email', { domains: m.domains.map((d) => `@${d}`).join(', ') })}</label>
                  <input id={`email-${m.slug}`} name="email" type="email" required maxLength={254} autoComplete="email" />
                </div>
                <button type="submit" className="button">
                  {t('onboard.verify.send')}
                </button>
              </Form>
              {actionData?.institutionId === m.institutionId ? (
                <Form method="post" className="stacked">
                  <CsrfInput />
                  <input type="hidden" name="intent" value="check" />
                  <input type="hidden" name="institutionId" value={m.institutionId} />
                  <div className="field">
                    <label htmlFor={`code-${m.slug}`}>{t('onboard.verify.code')}</label>
                    <input id={`code-${m.slug}`} name="code" inputMode="numeric" pattern="[0-9]{6}" maxLength={6} required autoComplete="one-time-code" />
                  </div>
                  <button type="submit" className="button">
                    {t('onboard.verify.check')}
                  </button>
                </Form>
              ) : null}
            </>
          )}
        </article>
      ))}
    </section>
  );
}
