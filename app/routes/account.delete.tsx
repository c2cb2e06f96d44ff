import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { eq } from 'drizzle-orm';
import { users } from '../../db/schema/index.js';
import { verifyPassword } from '../../db/password.js';
import { CsrfInput } from '../components/CsrfInput.js';
import { Field, FormErrors } from '../components/Field.js';
import { eraseAccount } from '../features/account/personal-data.server.js';
import { parseForm } from '../features/forms.server.js';
import { translate, useT } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { requireUser } from '../features/identity/guards.server.js';
import { deleteAccountSchema } from '../features/identity/schemas.js';
import { endSession } from '../features/identity/session.server.js';
import { getServices } from '../services.server.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'account.delete.title');

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { pseudonym: user.pseudonym };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const { submission } = await parseForm(request, deleteAccountSchema);
  if (submission.status !== 'success') return data({ result: submission.reply({ hideFields: ['password'] }) }, { status: 400 });
  const confirmWords = [translate('zh-CN', 'account.delete.confirmWord'), translate('en', 'account.delete.confirmWord')];
  if (!confirmWords.includes(submission.value.confirm)) {
    return data({ result: submission.reply({ fieldErrors: { confirm: ['account.delete.confirmMismatch'] }, hideFields: ['password'] }) }, { status: 400 });
  }
  const [row] = await getServices().db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, user.id));
  if (!(await verifyPassword(row?.passwordHash ?? null, submission.value.password))) {
    return data({ result: submission.reply({ fieldErrors: { password: ['account.delete.wrongPassword'] }, hideFields: ['password'] }) }, { status: 400 });
  }
  const clearCookie = await endSession(request);
  await eraseAccount(user.id, context.clientIp);
  return redirect('/?deleted=1', { headers: { 'Set-Cookie': clearCookie } });
}

export default function DeleteAccountPage() {
  const { pseudonym } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const [form, fields] = useForm({
    id: 'delete-account',
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: deleteAccountSchema }),
  });
  return (
    <section aria-labelledby="delete-title">
      <h1 id="delete-title">{t('account.delete.title')}</h1>
      <p className="notice warn">{t('account.delete.body', { pseudonym })}</p>
      <Form method="post" className="stacked" {...getFormProps(form)}>
        <CsrfInput />
        <FormErrors id={form.errorId} errors={form.errors} />
        <Field field={fields.password} label={t('account.delete.password')} type="password" autoComplete="current-password" />
        <Field field={fields.confirm} label={t('account.delete.confirm')} />
        <button type="submit" className="button danger">
          {t('account.delete.submit')}
        </button>
      </Form>
    </section>
  );
}
