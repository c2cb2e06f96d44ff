import { data, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { CsrfInput } from '../components/CsrfInput.js';
import { parseForm } from '../features/forms.server.js';
import { formatDate, useLocale, useT, type MessageKey } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { requireUser, safeRedirectPath } from '../features/identity/guards.server.js';
import { secondFactorSettingsSchema } from '../features/identity/second-factor/schemas.js';
import { confirmEnrolment, pendingEnrolment, renewRecoveryCodes, secondFactorStatus } from '../features/identity/second-factor/second-factor.server.js';
import { currentSessionHash } from '../features/identity/session.server.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'secondFactor.title');

// The page carries a secret (the QR code and manual key) or fresh recovery codes: never cached.
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const h = new Headers({ 'Cache-Control': 'no-store' });
  const retryAfter = actionHeaders.get('Retry-After');
  if (retryAfter) h.set('Retry-After', retryAfter);
  return h;
};

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  const status = await secondFactorStatus(user.id);
  const enrolling = !status.enrolledAt || url.searchParams.get('change') === '1';
  return {
    enrolledAt: status.enrolledAt?.toISOString() ?? null,
    recoveryCodesLeft: status.recoveryCodesLeft,
    awaitingRoles: user.awaitingSecondFactor.map((m) => ({ role: m.role, institutionNameZh: m.institutionNameZh, institutionNameEn: m.institutionNameEn })),
    enrolment: enrolling ? await pendingEnrolment(user) : null,
    redirectTo: safeRedirectPath(url.searchParams.get('redirectTo'), '/'),
    recoveryCodeUsed: url.searchParams.get('recoveryCodeUsed') === '1',
  };
}

type ActionResult = { error: MessageKey; minutes?: number } | { recoveryCodes: string[]; renewed: boolean; redirectTo: string };

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const { submission } = await parseForm(request, secondFactorSettingsSchema);
  if (submission.status !== 'success') return data<ActionResult>({ error: 'secondFactor.codeFormat' }, { status: 400 });
  const v = submission.value;
  const outcome =
    v.intent === 'confirm'
      ? await confirmEnrolment(user.id, v.code, (await currentSessionHash(request))!, context.clientIp)
      : await renewRecoveryCodes(user.id, v.code, context.clientIp);
  if ('refused' in outcome) {
    if (outcome.refused === 'throttled') {
      const wait = outcome.retryAfterSeconds;
      return data<ActionResult>({ error: 'secondFactor.throttled', minutes: Math.ceil(wait / 60) }, { status: 429, headers: { 'Retry-After': String(wait) } });
    }
    return data<ActionResult>({ error: outcome.refused === 'no-pending-enrolment' ? 'secondFactor.noPending' : 'secondFactor.wrongCode' }, { status: outcome.refused === 'no-pending-enrolment' ? 409 : 401 });
  }
  return data<ActionResult>({ recoveryCodes: outcome.recoveryCodes, renewed: v.intent !== 'confirm', redirectTo: v.intent === 'confirm' ? safeRedirectPath(v.redirectTo) : '/account/second-factor' });
}

function CodeForm({ intent, label, submit, redirectTo }: { intent: string; label: string; submit: string; redirectTo?: string }) {
  const t = useT();
  const id = `code-${intent}`;
  return (
    <Form method="post" className="stacked">
      <CsrfInput />
      <input type="hidden" name="intent" value={intent} />
      {redirectTo ? <input type="hidden" name="redirectTo" value={redirectTo} /> : null}
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <p className="hint" id={`${id}-hint`}>
          {t('secondFactor.sixDigits')}
        </p>
        <input id={id} name="code" autoComplete="one-time-code" inputMode="numeric" pattern="[0-9 ]{6,7}" maxLength={7} required aria-describedby={`${id}-hint`} />
      </div>
      <button type="submit" className="button">
        {submit}
      </button>
    </Form>
  );
}

export default function SecondFactorSettings() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  if (result && 'recoveryCodes' in result) {
    return (
      <section aria-labelledby="codes-title">
        <h1 id="codes-title">{t(result.renewed ? 'secondFactor.codes.renewedTitle' : 'secondFactor.codes.title')}</h1>
        <p className="notice ok" role="status">
          {t('secondFactor.codes.lead')}
        </p>
        <ol className="recovery-codes" aria-label={t('secondFactor.codes.listLabel')}>
          {result.recoveryCodes.map((c) => (
            <li key={c}>
              <code>{c}</code>
            </li>
          ))}
        </ol>
        <p>
          <a className="button" href={result.redirectTo}>
            {t('secondFactor.codes.continue')}
          </a>
        </p>
      </section>
    );
  }
  return (
    <section aria-labelledby="second-factor-title">
      <h1 id="second-factor-title">{t('secondFactor.title')}</h1>
      <p>{t('secondFactor.lead')}</p>
      {result && 'error' in result ? (
        <p className="notice warn" role="alert">
          {t(result.error, result.minutes ? { minutes: result.minutes } : undefined)}
        </p>
      ) : null}
      {loaded.awaitingRoles.length > 0 ? (
        <p className="notice warn">
          {t('secondFactor.required', {
            roles: loaded.awaitingRoles.map((m) => `${locale === 'en' ? m.institutionNameEn : m.institutionNameZh} · ${t(`role.${m.role}`)}`).join(t('common.listSeparator')),
          })}
        </p>
      ) : null}
      {loaded.recoveryCodeUsed ? <p className="notice warn">{t('secondFactor.recoveryCodeUsed', { left: loaded.recoveryCodesLeft })}</p> : null}
      {loaded.enrolledAt ? (
        <p className="notice ok">{t('secondFactor.enrolledSince', { date: formatDate(locale, new Date(loaded.enrolledAt)), left: loaded.recoveryCodesLeft })}</p>
      ) : null}
      {loaded.enrolment ? (
        <section className="panel" aria-labelledby="enrol-title">
          <h2 id="enrol-title">{t(loaded.enrolledAt ? 'secondFactor.change.title' : 'secondFactor.enrol.title')}</h2>
          <ol>
            <li>{t('secondFactor.enrol.step1')}</li>
            <li>
              {t('secondFactor.enrol.step2')}
              <div className="totp-qr" role="img" aria-label={t('secondFactor.enrol.qrLabel')} dangerouslySetInnerHTML={{ __html: loaded.enrolment.qrSvg }} />
              <p>
                {t('secondFactor.enrol.manual')} <code className="manual-key">{loaded.enrolment.manualKey}</code>
              </p>
            </li>
            <li>{t('secondFactor.enrol.step3')}</li>
          </ol>
          <CodeForm intent="confirm" label={t('secondFactor.code')} submit={t('secondFactor.enrol.submit')} redirectTo={loaded.redirectTo} />
        </section>
      ) : (
        <>
          <section className="panel" aria-labelledby="change-title">
            <h2 id="change-title">{t('secondFactor.change.title')}</h2>
            <p>{t('secondFactor.change.lead')}</p>
            <a className="button secondary" href="/account/second-factor?change=1">
              {t('secondFactor.change.start')}
            </a>
          </section>
          <section className="panel" aria-labelledby="renew-title">
            <h2 id="renew-title">{t('secondFactor.renew.title')}</h2>
            <p>{t('secondFactor.renew.lead')}</p>
            <CodeForm intent="renew-recovery-codes" label={t('secondFactor.code')} submit={t('secondFactor.renew.submit')} />
          </section>
        </>
      )}
    </section>
  );
}
