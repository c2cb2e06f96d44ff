import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { data, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { CsrfInput } from '../components/CsrfInput.js';
import { Field, FormErrors } from '../components/Field.js';
import { parseForm } from '../features/forms.server.js';
import { messageWith, useT } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { requireAnonymous, safeRedirectPath } from '../features/identity/guards.server.js';
import { attemptLogin } from '../features/identity/login.server.js';
import { loginSchema } from '../features/identity/schemas.js';
import { continueAfterPassword } from '../features/identity/second-factor/sign-in.server.js';
import { listSsoButtons } from '../features/federation/providers.server.js';
import { SSO_LIST_LIMIT, SsoChoices } from '../features/federation/SsoChoices.js';

export const handle = { hydrate: true };
export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'login.title');

// A throttled login answers 429 with Retry-After on the document response too.
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get('Retry-After');
  return retryAfter ? { 'Retry-After': retryAfter } : new Headers();
};

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  const query = (new URL(request.url).searchParams.get('q') ?? '').slice(0, 80);
  return { sso: { query, ...(await listSsoButtons(query, SSO_LIST_LIMIT)) } };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { submission } = await parseForm(request, loginSchema);
  if (submission.status !== 'success') {
    return data({ result: submission.reply({ hideFields: ['password'] }) }, { status: 400 });
  }
  const { email, password, redirectTo } = submission.value;
  const outcome = await attemptLogin(email, password, context.clientIp);
  if (outcome.kind === 'throttled') {
    const minutes = Math.ceil(outcome.retryAfterSeconds / 60);
    return data(
      { result: submission.reply({ formErrors: [messageWith('login.throttled', { minutes })], hideFields: ['password'] }) },
      { status: 429, headers: { 'Retry-After': String(outcome.retryAfterSeconds) } },
    );
  }
  if (outcome.kind === 'invalid') {
    return data({ result: submission.reply({ formErrors: ['login.invalid'], hideFields: ['password'] }) }, { status: 401 });
  }
  return continueAfterPassword(request, outcome, safeRedirectPath(redirectTo));
}

export default function LoginPage() {
  const t = useT();
  const actionData = useActionData<typeof action>();
  const { sso } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const [form, fields] = useForm({
    id: 'login',
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: loginSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  });
  return (
    <section aria-labelledby="login-title">
      <h1 id="login-title">{t('login.title')}</h1>
      {searchParams.get('reset') === '1' ? (
        <p role="status" className="notice ok">
          {t('login.afterReset')}
        </p>
      ) : null}
      {searchParams.get('verified') === '1' ? (
        <p role="status" className="notice ok">
          {t('verifyEmail.done')}
        </p>
      ) : null}
      <Form method="post" className="stacked" {...getFormProps(form)}>
        <CsrfInput />
        <input type="hidden" name="redirectTo" value={searchParams.get('redirectTo') ?? '/'} />
        <FormErrors id={form.errorId} errors={form.errors} />
        <Field field={fields.email} label={t('login.email')} type="email" autoComplete="username" />
        <Field field={fields.password} label={t('login.password')} type="password" autoComplete="current-password" />
        <button type="submit" className="button">
          {t('login.submit')}
        </button>
      </Form>
      <SsoChoices {...sso} redirectTo={searchParams.get('redirectTo') ?? '/'} />
      <p>
        <a href="/forgot-password">{t('login.forgot')}</a>
      </p>
      <p>
        {t('login.noAccount')} <a href="/signup">{t('login.signupLink')}</a>
      </p>
    </section>
  );
}
