import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { data, type ActionFunctionArgs, type HeadersFunction, type MetaFunction } from '@remix-run/node';
import { Form, useActionData } from '@remix-run/react';
import { CsrfInput } from '../components/CsrfInput.js';
import { Field, FormErrors } from '../components/Field.js';
import { requestPasswordReset } from '../features/accounts/password-reset.server.js';
import { forgotPasswordSchema } from '../features/accounts/schemas.js';
import { parseForm } from '../features/forms.server.js';
import { messageWith, useT } from '../features/i18n/i18n.js';
import { getLocale } from '../features/i18n/locale.server.js';
import { titleMeta } from '../features/i18n/metaTitle.js';

export const handle = { hydrate: true };
export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'forgot.title');
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get('Retry-After');
  return retryAfter ? { 'Retry-After': retryAfter } : new Headers();
};

export async function action({ request, context }: ActionFunctionArgs) {
  const { submission } = await parseForm(request, forgotPasswordSchema);
  if (submission.status !== 'success') return data({ result: submission.reply(), sent: false }, { status: 400 });
  const outcome = await requestPasswordReset(submission.value.email, await getLocale(request), context.clientIp);
  if (outcome.kind === 'throttled') {
    return data(
      { result: submission.reply({ formErrors: [messageWith('accounts.throttled', { minutes: Math.ceil(outcome.retryAfterSeconds / 60) })] }), sent: false },
      { status: 429, headers: { 'Retry-After': String(outcome.retryAfterSeconds) } },
    );
  }
  // The same words for every address: whether it has an account is not said here.
  return { result: submission.reply({ resetForm: true }), sent: true };
}

export default function ForgotPasswordPage() {
  const t = useT();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: 'forgot',
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: forgotPasswordSchema }),
    shouldValidate: 'onBlur',
  });
  return (
    <section aria-labelledby="forgot-title" className="narrow">
      <h1 id="forgot-title">{t('forgot.title')}</h1>
      {actionData?.sent ? (
        <p role="status" className="notice">
          {t('forgot.sent')}
        </p>
      ) : (
        <p>{t('forgot.lead')}</p>
      )}
      <Form method="post" className="stacked" {...getFormProps(form)}>
        <CsrfInput />
        <FormErrors id={form.errorId} errors={form.errors} />
        <Field field={fields.email} label={t('login.email')} type="email" autoComplete="email" />
        <button type="submit" className="button">
          {t('forgot.submit')}
        </button>
      </Form>
      <p>
        <a href="/login">{t('forgot.backToLogin')}</a>
      </p>
    </section>
  );
}
