import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { CsrfInput } from '../components/CsrfInput.js';
import { Field, FormErrors } from '../components/Field.js';
import { requestEmailChange, resendVerification } from '../features/accounts/email-verification.server.js';
import { isEmailVerified } from '../features/accounts/account-status.server.js';
import { changeEmailSchema } from '../features/accounts/schemas.js';
import { parseForm } from '../features/forms.server.js';
import { messageWith, useT } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { requireUser } from '../features/identity/guards.server.js';

export const handle = { hydrate: true };
export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'email.title');

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { email: user.email, verified: await isEmailVerified(user.id) };
}

const formSchema = z.discriminatedUnion('intent', [changeEmailSchema.extend({ intent: z.literal('change') }), z.object({ intent: z.literal('resend') })]);

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const { submission } = await parseForm(request, formSchema);
  const hide = { hideFields: ['currentPassword'] };
  if (submission.status !== 'success') return data({ result: submission.reply(hide), notice: null }, { status: 400 });
  const throttled = (seconds: number) =>
    data({ result: submission.reply({ formErrors: [messageWith('accounts.throttled', { minutes: Math.ceil(seconds / 60) })], ...hide }), notice: null }, { status: 429, headers: { 'Retry-After': String(seconds) } });
  if (submission.value.intent === 'resend') {
    const outcome = await resendVerification(user, context.clientIp);
    if (outcome.kind === 'throttled') return throttled(outcome.retryAfterSeconds);
    return { result: submission.reply(), notice: outcome.kind === 'sent' ? ('email.resent' as const) : ('email.alreadyVerified' as const) };
  }
  const outcome = await requestEmailChange(user, submission.value.email, submission.value.currentPassword, context.clientIp);
  switch (outcome.kind) {
    case 'wrong-password':
      return data({ result: submission.reply({ fieldErrors: { currentPassword: ['password.wrongCurrent'] }, ...hide }), notice: null }, { status: 401 });
    case 'same-address':
      return data({ result: submission.reply({ fieldErrors: { email: ['email.same'] }, ...hide }), notice: null }, { status: 400 });
    case 'throttled':
      return throttled(outcome.retryAfterSeconds);
    case 'sent':
      return { result: submission.reply({ resetForm: true }), notice: 'email.changeSent' as const };
  }
}

export default function ChangeEmailPage() {
  const t = useT();
  const { email, verified } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: 'change-email',
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: formSchema }),
    shouldValidate: 'onBlur',
  });
  return (
    <section aria-labelledby="email-title" className="narrow">
      <h1 id="email-title">{t('email.title')}</h1>
      {actionData?.notice ? (
        <p role="status" className="notice">
          {t(actionData.notice)}
        </p>
      ) : null}
      <p>
        {t('email.current', { email })} {verified ? t('email.verified') : t('email.unverified')}
      </p>
      {verified ? null : (
        <Form method="post">
          <CsrfInput />
          <button type="submit" name="intent" value="resend" className="button secondary">
            {t('email.resend')}
          </button>
        </Form>
      )}
      <h2>{t('email.changeTitle')}</h2>
      <p>{t('email.changeLead')}</p>
      <Form method="post" className="stacked" {...getFormProps(form)}>
        <CsrfInput />
        <input type="hidden" name="intent" value="change" />
        <FormErrors id={form.errorId} errors={form.errors} />
        <Field field={fields.email} label={t('email.new')} type="email" autoComplete="email" />
        <Field field={fields.currentPassword} label={t('password.current')} type="password" autoComplete="current-password" />
        <button type="submit" className="button">
          {t('email.submit')}
        </button>
      </Form>
      <p>
        <a href="/account">{t('accounts.backToAccount')}</a>
      </p>
    </section>
  );
}
