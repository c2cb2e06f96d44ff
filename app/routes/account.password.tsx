import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData } from '@remix-run/react';
import { CsrfInput } from '../components/CsrfInput.js';
import { Field, FormErrors } from '../components/Field.js';
import { changePassword } from '../features/accounts/password-change.server.js';
import { changePasswordSchema } from '../features/accounts/schemas.js';
import { parseForm } from '../features/forms.server.js';
import { messageWith, useT } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { requireUser } from '../features/identity/guards.server.js';

export const handle = { hydrate: true };
export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'password.title');

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const { submission } = await parseForm(request, changePasswordSchema);
  const hide = { hideFields: ['currentPassword', 'password'] };
  if (submission.status !== 'success') return data({ result: submission.reply(hide), ended: null }, { status: 400 });
  const outcome = await changePassword(request, user, submission.value.currentPassword, submission.value.password, context.clientIp);
  if (outcome.kind === 'wrong-password') return data({ result: submission.reply({ fieldErrors: { currentPassword: ['password.wrongCurrent'] }, ...hide }), ended: null }, { status: 401 });
  if (outcome.kind === 'throttled') {
    const minutes = Math.ceil(outcome.retryAfterSeconds / 60);
    return data({ result: submission.reply({ formErrors: [messageWith('login.throttled', { minutes })], ...hide }), ended: null }, { status: 429, headers: { 'Retry-After': String(outcome.retryAfterSeconds) } });
  }
  return { result: submission.reply({ resetForm: true }), ended: outcome.endedSessions };
}

export default function ChangePasswordPage() {
  const t = useT();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: 'change-password',
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: changePasswordSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  });
  return (
    <section aria-labelledby="password-title" className="narrow">
      <h1 id="password-title">{t('password.title')}</h1>
      {actionData?.ended != null ? (
        <p role="status" className="notice">
          {t('password.changed', { count: actionData.ended })}
        </p>
      ) : (
        <p>{t('password.lead')}</p>
      )}
      <Form method="post" className="stacked" {...getFormProps(form)}>
        <CsrfInput />
        <FormErrors id={form.errorId} errors={form.errors} />
        <Field field={fields.currentPassword} label={t('password.current')} type="password" autoComplete="current-password" />
        <Field field={fields.password} label={t('password.new')} type="password" autoComplete="new-password" />
        <button type="submit" className="button">
          {t('password.submit')}
        </button>
      </Form>
      <p>
        <a href="/account">{t('accounts.backToAccount')}</a>
      </p>
    </section>
  );
}
