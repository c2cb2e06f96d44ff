import { continueAfterPassword } from '../features/identity/second-factor/sign-in.server.js';
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { CsrfInput } from '../components/CsrfInput.js';
import { findInstitutionById } from '../features/federation/providers.server.js';
import { linkCookie } from '../features/federation/responses.server.js';
import { linkAccountSchema } from '../features/federation/schemas.js';
import { completeLink, dropPendingLink, pendingLink } from '../features/federation/sign-in.server.js';
import { parseForm } from '../features/forms.server.js';
import { useLocale, useT } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { safeRedirectPath } from '../features/identity/guards.server.js';
import { attemptLogin } from '../features/identity/login.server.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'sso.link.title');

type LinkCookie = { token: string; redirectTo: string };

async function readPending(request: Request) {
  const value = (await linkCookie().parse(request.headers.get('Cookie'))) as LinkCookie | null;
  const identity = await pendingLink(value?.token ?? null);
  return identity && value ? { cookie: value, identity } : null;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const pending = await readPending(request);
  if (!pending) throw redirect('/login');
  const institution = await findInstitutionById(pending.identity.institutionId);
  return { email: pending.identity.email ?? '', institutionNameZh: institution?.nameZh ?? '', institutionNameEn: institution?.nameEn ?? '' };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const pending = await readPending(request);
  if (!pending) throw redirect('/login');
  const { submission } = await parseForm(request, linkAccountSchema);
  if (submission.status !== 'success') return data({ error: 'errors.required' as const }, { status: 400 });
  const clear = await linkCookie().serialize('', { maxAge: 0 });
  if (submission.value.intent === 'cancel') {
    await dropPendingLink(pending.cookie.token);
    return redirect('/login', { headers: { 'Set-Cookie': clear } });
  }
  const outcome = await attemptLogin(pending.identity.email ?? '', submission.value.password, context.clientIp);
  if (outcome.kind === 'throttled') return data({ error: 'sso.link.throttled' as const }, { status: 429, headers: { 'Retry-After': String(outcome.retryAfterSeconds) } });
  if (outcome.kind === 'invalid') return data({ error: 'sso.link.wrongPassword' as const }, { status: 401 });
  if (!(await completeLink(pending.cookie.token, outcome.userId, context.clientIp))) throw redirect('/login');
  return continueAfterPassword(request, outcome, safeRedirectPath(pending.cookie.redirectTo), new Headers({ 'Set-Cookie': clear }));
}

export default function LinkAccountPage() {
  const { email, institutionNameZh, institutionNameEn } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const institution = useLocale() === 'en' ? institutionNameEn : institutionNameZh;
  return (
    <section aria-labelledby="link-title">
      <h1 id="link-title">{t('sso.link.title')}</h1>
      <p>{t('sso.link.lead', { email, institution })}</p>
      <Form method="post" className="stacked">
        <CsrfInput />
        {actionData?.error ? (
          <p className="notice error" role="alert" id="link-error">
            {t(actionData.error)}
          </p>
        ) : null}
        <input type="hidden" name="intent" value="link" />
        <div className="field">
          <label htmlFor="link-password">{t('login.password')}</label>
          <input id="link-password" name="password" type="password" autoComplete="current-password" required aria-describedby={actionData?.error ? 'link-error' : undefined} />
        </div>
        <button type="submit" className="button">
          {t('sso.link.submit')}
        </button>
      </Form>
      <Form method="post">
        <CsrfInput />
        <input type="hidden" name="intent" value="cancel" />
        <button type="submit" className="button secondary">
          {t('sso.link.cancel')}
        </button>
      </Form>
    </section>
  );
}
