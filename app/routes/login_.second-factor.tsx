import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useSearchParams } from '@remix-run/react';
import { CsrfInput } from '../components/CsrfInput.js';
import { parseForm } from '../features/forms.server.js';
import { useT, type MessageKey } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { SECOND_FACTOR_PAGE, safeRedirectPath } from '../features/identity/guards.server.js';
import { secondFactorLoginSchema } from '../features/identity/second-factor/schemas.js';
import { checkSecondFactor } from '../features/identity/second-factor/second-factor.server.js';
import { getSessionAwaitingSecondFactor, markSecondFactorGiven } from '../features/identity/session.server.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'secondFactor.login.title');

export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get('Retry-After');
  return retryAfter ? { 'Retry-After': retryAfter } : new Headers();
};

export async function loader({ request }: LoaderFunctionArgs) {
  if (!(await getSessionAwaitingSecondFactor(request))) throw redirect('/login');
  return null;
}

type Refusal = { error: MessageKey; minutes?: number };

export async function action({ request, context }: ActionFunctionArgs) {
  const pending = await getSessionAwaitingSecondFactor(request);
  if (!pending) throw redirect('/login');
  const { submission } = await parseForm(request, secondFactorLoginSchema);
  if (submission.status !== 'success') return data<Refusal>({ error: 'secondFactor.codeFormat' }, { status: 400 });
  const outcome = await checkSecondFactor(pending.userId, submission.value.code, context.clientIp);
  if ('refused' in outcome) {
    if (outcome.refused === 'throttled') {
      return data<Refusal>({ error: 'secondFactor.throttled', minutes: Math.ceil(outcome.retryAfterSeconds / 60) }, { status: 429, headers: { 'Retry-After': String(outcome.retryAfterSeconds) } });
    }
    return data<Refusal>({ error: 'secondFactor.wrongCode' }, { status: 401 });
  }
  await markSecondFactorGiven(request);
  const target = safeRedirectPath(submission.value.redirectTo);
  // A recovery code usually means a lost phone: show what is left and how to enrol a new one.
  if (outcome.method === 'recovery-code') return redirect(`${SECOND_FACTOR_PAGE}?recoveryCodeUsed=1&redirectTo=${encodeURIComponent(target)}`);
  return redirect(target);
}

export default function SecondFactorLogin() {
  const t = useT();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  return (
    <section aria-labelledby="second-factor-title">
      <h1 id="second-factor-title">{t('secondFactor.login.title')}</h1>
      <p>{t('secondFactor.login.lead')}</p>
      <Form method="post" className="stacked">
        <CsrfInput />
        <input type="hidden" name="redirectTo" value={searchParams.get('redirectTo') ?? '/'} />
        {actionData?.error ? (
          <p className="notice warn" role="alert" id="code-error">
            {t(actionData.error, actionData.minutes ? { minutes: actionData.minutes } : undefined)}
          </p>
        ) : null}
        <div className="field">
          <label htmlFor="second-factor-code">{t('secondFactor.code')}</label>
          <p className="hint" id="second-factor-code-hint">
            {t('secondFactor.login.hint')}
          </p>
          <input
            id="second-factor-code"
            name="code"
            autoComplete="one-time-code"
            required
            maxLength={40}
            aria-describedby={actionData?.error ? 'code-error second-factor-code-hint' : 'second-factor-code-hint'}
            aria-invalid={actionData?.error ? true : undefined}
          />
        </div>
        <button type="submit" className="button">
          {t('secondFactor.login.submit')}
        </button>
      </Form>
      <Form method="post" action="/logout">
        <CsrfInput />
        <button type="submit" className="link-button">
          {t('secondFactor.login.cancel')}
        </button>
      </Form>
    </section>
  );
}
