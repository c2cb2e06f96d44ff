import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { CsrfInput } from '../components/CsrfInput.js';
import { verifyEmail } from '../features/accounts/email-verification.server.js';
import { verifyEmailSchema } from '../features/accounts/schemas.js';
import { parseForm } from '../features/forms.server.js';
import { translateError, useLocale, useT } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { getCurrentUser } from '../features/identity/session.server.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'verifyEmail.title');
export const headers: HeadersFunction = () => ({ 'Referrer-Policy': 'same-origin', 'Cache-Control': 'no-store' });

// The link opens a page with one button: a mail scanner that follows links does not use the token.
export async function loader({ request }: LoaderFunctionArgs) {
  return { token: new URL(request.url).searchParams.get('token') ?? '' };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { submission } = await parseForm(request, verifyEmailSchema);
  if (submission.status !== 'success') return data({ error: 'verifyEmail.invalidToken' }, { status: 400 });
  const outcome = await verifyEmail(submission.value.token, context.clientIp);
  if (outcome.kind === 'invalid-token') return data({ error: 'verifyEmail.invalidToken' }, { status: 410 });
  if (outcome.kind === 'address-taken') return data({ error: 'verifyEmail.addressTaken' }, { status: 409 });
  const user = await getCurrentUser(request);
  return redirect(user?.id === outcome.userId ? '/account?verified=1' : '/login?verified=1');
}

export default function VerifyEmailPage() {
  const t = useT();
  const locale = useLocale();
  const { token } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <section aria-labelledby="verify-title" className="narrow">
      <h1 id="verify-title">{t('verifyEmail.title')}</h1>
      {actionData?.error ? (
        <p role="alert" className="form-errors">
          {translateError(locale, actionData.error)}
        </p>
      ) : null}
      {token ? (
        <Form method="post">
          <CsrfInput />
          <input type="hidden" name="token" value={token} />
          <p>{t('verifyEmail.lead')}</p>
          <button type="submit" className="button">
            {t('verifyEmail.submit')}
          </button>
        </Form>
      ) : (
        <p>{t('verifyEmail.invalidToken')}</p>
      )}
    </section>
  );
}
