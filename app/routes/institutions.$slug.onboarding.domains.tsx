import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { CsrfInput } from '../components/CsrfInput.js';
import { Field, FormErrors } from '../components/Field.js';
import { IntentButton } from '../components/IntentButton.js';
import { parseForm } from '../features/forms.server.js';
import { useT, type MessageKey } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { requireInstitutionConsole } from '../features/onboarding/console-access.server.js';
import { addMailDomain, listMailDomains, removeMailDomain } from '../features/onboarding/mail-domains.server.js';
import { domainActionSchema } from '../features/onboarding/schemas.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'onboard.domains');

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { institution } = await requireInstitutionConsole(request, context, params.slug);
  return { domains: await listMailDomains(institution.id) };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { institution, admin } = await requireInstitutionConsole(request, context, params.slug);
  const { submission } = await parseForm(request, domainActionSchema);
  if (submission.status !== 'success') return data({ result: submission.reply(), notice: null as MessageKey | null }, { status: 400 });
  const v = submission.value;
  if (v.intent === 'add') {
    const outcome = await addMailDomain(institution.id, v.domain, admin.id, context.clientIp);
    if (outcome === 'taken') return data({ result: submission.reply({ fieldErrors: { domain: ['onboard.domains.taken'] } }), notice: null }, { status: 409 });
    return { result: submission.reply({ resetForm: true }), notice: 'onboard.domains.added' as MessageKey };
  }
  const removed = await removeMailDomain(institution.id, v.domainId, admin.id, context.clientIp);
  return data({ result: null, notice: (removed ? 'onboard.domains.removed' : 'onboard.notFound') as MessageKey }, { status: removed ? 200 : 404 });
}

export default function DomainsPage() {
  const { domains } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const [form, fields] = useForm({ id: 'add-domain', lastResult: actionData?.result ?? undefined, onValidate: ({ formData }) => parseWithZod(formData, { schema: domainActionSchema }) });
  return (
    <section aria-labelledby="domains-title">
      <h1 id="domains-title">{t('onboard.domains')}</h1>
      <p>{t('onboard.domains.body')}</p>
      {actionData?.notice ? (
        <p className="notice ok" role="status">
          {t(actionData.notice)}
        </p>
      ) : null}
      {domains.length === 0 ? (
        <p className="muted">{t('onboard.domains.none')}</p>
      ) : (
        <ul className="plain-list">
          {domains.map((d) => (
            <li key={d.id}>
              <code>@{d.domain}</code> <IntentButton intent="remove" fields={{ domainId: d.id }} label={t('onboard.domains.remove', { domain: d.domain })} inline />
            </li>
          ))}
        </ul>
      )}
      <h2 id="add-domain-title">{t('onboard.domains.add')}</h2>
      <Form method="post" className="stacked" aria-labelledby="add-domain-title" {...getFormProps(form)}>
        <CsrfInput />
        <input type="hidden" name="intent" value="add" />
        <FormErrors id={form.errorId} errors={form.errors} />
        <Field field={fields.domain} label={t('onboard.domains.domain')} hint={t('onboard.domains.hint')} autoComplete="off" />
        <button type="submit" className="button">
          {t('onboard.domains.add')}
        </button>
      </Form>
    </section>
  );
}
