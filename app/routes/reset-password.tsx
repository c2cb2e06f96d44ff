import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { CsrfInput } from '../components/CsrfInput.js';
import { Field, FormErrors } from '../components/Field.js';
import { resetPassword } from '../features/accounts/password-reset.server.js';
import { resetPasswordSchema } from '../features/accounts/schemas.js';
import { parseForm } from '../features/forms.server.js';
import { useT } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { endSession } from '../features/identity/session.server.js';

export const handle = { hydrate: true };
export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'reset.title');
// The token is in this page's address: it must not leave in a Referer to another site. Not
// no-referrer: Chromium then sends `Origin: null` with the form's POST, which fails.
export const headers: HeadersFunction = () => ({ 'Referrer-Policy': 'same-origin', 'Cache-Control': 'no-store' });

// Opening the link only shows the form (mail scanners open links too); the token is used on submit.
export async function loader({ request }: LoaderFunctionArgs) {
  return { token: new URL(request.url).searchParams.get('token') ?? '' };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { submission } = await parseForm(request, resetPasswordSchema);
  if (submission.status !== 'success') return data({ result: submission.reply({ hideFields: ['password'] }) }, { status: 400 });
  const outcome = await resetPassword(submission.value.token, submission.value.password, context.clientIp);
  if (outcome.kind === 'invalid-token') {
    return data({ result: submission.reply({ formErrors: ['reset.invalidToken'], hideFields: ['password'] }) }, { status: 410 });
  }
  // Every session of the account ended, this browser's too: sign in with the new password.
  return redirect('/login?reset=1', { headers: { 'Set-Cookie': await endSession(request) } });
}

export default function ResetPasswordPage() {
  const t = useT();
  const { token } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: 'reset',
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: resetPasswordSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  });
  return (
    <section aria-labelledby="reset-title" className="narrow">
      <h1 id="reset-title">{t('reset.title')}</h1>
      {token ? null : <FormErrors id={form.errorId} errors={form.errors} />}
      {token ? (
        <Form method="post" className="stacked" {...getFormProps(form)}>
          <CsrfInput />
          <input type="hidden" name="token" value={token} />
          <FormErrors id={form.errorId} errors={form.errors} />
          <Field field={fields.password} label={t('reset.password')} type="password" autoComplete="new-password" />
          <button type="submit" className="button">
            {t('reset.submit')}
          </button>
        </Form>
      ) : form.errors?.length ? null : (
        <p>{t('reset.noToken')}</p>
      )}
      <p>
        <a href="/forgot-password">{t('reset.again')}</a>
      </p>
    </section>
  );
}
