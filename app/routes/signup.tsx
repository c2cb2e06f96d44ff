import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { CsrfInput } from '../components/CsrfInput.js';
import { Field, FormErrors, SelectField } from '../components/Field.js';
import { parseForm } from '../features/forms.server.js';
import { useLocale, useT } from '../features/i18n/i18n.js';
import { getLocale } from '../features/i18n/locale.server.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { requireAnonymous } from '../features/identity/guards.server.js';
import { signupSchema } from '../features/identity/schemas.js';
import { startSession } from '../features/identity/session.server.js';
import { listSignupInstitutions, signUpStudent } from '../features/identity/signup.server.js';

export const handle = { hydrate: true };
export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'signup.title');

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  return { institutions: await listSignupInstitutions() };
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous(request);
  const { submission } = await parseForm(request, signupSchema);
  if (submission.status !== 'success') {
    return data({ result: submission.reply({ hideFields: ['password'] }) }, { status: 400 });
  }
  const outcome = await signUpStudent({ ...submission.value, locale: await getLocale(request) }, context.clientIp);
  if (outcome.kind === 'email-taken') {
    return data({ result: submission.reply({ fieldErrors: { email: ['signup.emailTaken'] }, hideFields: ['password'] }) }, { status: 409 });
  }
  if (outcome.kind === 'institution-not-open') {
    return data({ result: submission.reply({ fieldErrors: { institutionId: ['errors.invalidChoice'] }, hideFields: ['password'] }) }, { status: 400 });
  }
  return redirect('/', { headers: { 'Set-Cookie': await startSession(request, outcome.userId) } });
}

export default function SignupPage() {
  const t = useT();
  const locale = useLocale();
  const { institutions } = useLoaderData<typeof loader>();
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
