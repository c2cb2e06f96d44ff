import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { CsrfInput } from '../components/CsrfInput.js';
import { Field, FormErrors, SelectField } from '../components/Field.js';
import { parseForm } from '../features/forms.server.js';
import { translateError, useLocale, useT } from '../features/i18n/i18n.js';
import { getLocale } from '../features/i18n/locale.server.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { requireAnonymous } from '../features/identity/guards.server.js';
import { signupSchema } from '../features/identity/schemas.js';
import { listSignupInstitutions, signUpStudent } from '../features/identity/signup.server.js';
import { PRIVACY_NOTICE_VERSION } from '../features/accounts/privacy-notice.js';
import { messageWith } from '../features/i18n/i18n.js';

export const handle = { hydrate: true };
export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'signup.title');

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  return { institutions: await listSignupInstitutions(), noticeVersion: PRIVACY_NOTICE_VERSION };
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous(request);
  const { submission } = await parseForm(request, signupSchema);
  if (submission.status !== 'success') {
    return data({ result: submission.reply({ hideFields: ['password'] }) }, { status: 400 });
  }
  const outcome = await signUpStudent({ ...submission.value, locale: await getLocale(request) }, context.clientIp);
  const refuse = (fieldErrors: Record<string, string[]>, formErrors: string[], status: number, headers?: HeadersInit) =>
    data({ result: submission.reply({ fieldErrors, formErrors, hideFields: ['password'] }) }, { status, headers });
  switch (outcome.kind) {
    case 'mail-sent':
      // The same answer whether the address is new or already has an account.
      return redirect('/signup/sent');
    case 'institution-not-open':
      return refuse({ institutionId: ['errors.invalidChoice'] }, [], 400);
    case 'birth-date-invalid':
      return refuse({ birthDate: ['signup.birthDateInvalid'] }, [], 400);
    case 'under-age':
      return refuse({}, ['signup.underAge'], 403);
    case 'notice-changed':
      return refuse({}, ['signup.noticeChanged'], 409);
    case 'throttled':
      return refuse({}, [messageWith('accounts.throttled', { minutes: Math.ceil(outcome.retryAfterSeconds / 60) })], 429, { 'Retry-After': String(outcome.retryAfterSeconds) });
  }
}

export default function SignupPage() {
  const t = useT();
  const locale = useLocale();
  const { institutions, noticeVersion } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: 'signup',
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: signupSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  });
  const options = institutions.map((i) => ({ value: i.id, label: locale === 'en' ? i.nameEn : i.nameZh }));
  return (
    <section aria-labelledby="signup-title">
      <h1 id="signup-title">{t('signup.title')}</h1>
      <Form method="post" className="stacked" {...getFormProps(form)}>
        <CsrfInput />
        <FormErrors id={form.errorId} errors={form.errors} />
        <Field field={fields.displayName} label={t('signup.displayName')} autoComplete="name" />
        <Field field={fields.email} label={t('signup.email')} type="email" autoComplete="email" />
        <Field field={fields.password} label={t('signup.password')} type="password" autoComplete="new-password" />
        <SelectField field={fields.institutionId} label={t('signup.institution')} options={options} placeholder={t('signup.institutionPlaceholder')} />
        <Field field={fields.birthDate} label={t('signup.birthDate')} type="date" autoComplete="bday" hint={t('signup.birthDateHint')} />
        <input type="hidden" name="noticeVersion" value={noticeVersion} />
        <div className="field">
          <label className="check">
            <input type="checkbox" name="consent" required aria-invalid={fields.consent.errors ? true : undefined} aria-describedby={fields.consent.errors ? fields.consent.errorId : undefined} />{' '}
            {t('signup.consent')}{' '}
            <a href="/privacy" target="_blank" rel="noopener">
              {t('signup.consentNotice', { version: noticeVersion })}
            </a>
          </label>
          {fields.consent.errors ? (
            <ul className="field-errors" id={fields.consent.errorId}>
              {fields.consent.errors.map((e) => (
                <li key={e}>{translateError(locale, e)}</li>
              ))}
            </ul>
          ) : null}
        </div>
        <button type="submit" className="button">
          {t('signup.submit')}
        </button>
      </Form>
      <p>
        {t('signup.haveAccount')} <a href="/login">{t('nav.login')}</a>
      </p>
    </section>
  );
}
