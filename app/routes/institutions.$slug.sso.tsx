import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { ssoProtocols, ssoStaffRoles } from '../../db/schema/federation.js';
import { CsrfInput } from '../components/CsrfInput.js';
import { Field, FormErrors, SelectField, TextAreaField } from '../components/Field.js';
import { requireSsoManager } from '../features/federation/guards.server.js';
import { findInstitutionBySlug, providerSettings, saveProviderSettings } from '../features/federation/providers.server.js';
import { providerSettingsSchema } from '../features/federation/schemas.js';
import { serviceEndpoints } from '../features/federation/endpoints.server.js';
import { parseForm } from '../features/forms.server.js';
import { translate, useLocale, useT } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'sso.settings.title', { institution: '' });

async function loadInstitution(slug: string | undefined) {
  const institution = await findInstitutionBySlug(slug ?? '');
  if (!institution) throw data({ reason: 'not-found' as const }, { status: 404 });
  return institution;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const institution = await loadInstitution(params.slug);
  await requireSsoManager(request, context, institution.id);
  const stored = await providerSettings(institution.id);
  // The sealed secret never leaves the server; the form only says whether one is stored.
  const settings = stored ? { ...stored, oidcClientSecretSealed: undefined } : null;
  return { institution, settings, hasClientSecret: Boolean(stored?.oidcClientSecretSealed), endpoints: serviceEndpoints(institution.slug) };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const institution = await loadInstitution(params.slug);
  const manager = await requireSsoManager(request, context, institution.id);
  const { submission } = await parseForm(request, providerSettingsSchema);
  if (submission.status !== 'success') return data({ result: submission.reply({ hideFields: ['oidcClientSecret'] }), saved: false }, { status: 400 });
  const v = submission.value;
  await saveProviderSettings(institution.id, { ...v, enabled: v.enabled === 'on', staffRole: v.staffRole || null }, manager.id, context.clientIp);
  return { result: submission.reply({ hideFields: ['oidcClientSecret'] }), saved: true };
}

export default function SsoSettingsPage() {
  const { institution, settings, hasClientSecret, endpoints } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const name = useLocale() === 'en' ? institution.nameEn : institution.nameZh;
  const [form, fields] = useForm({
    id: 'sso-settings',
    lastResult: actionData?.result,
    defaultValue: {
      protocol: settings?.protocol ?? 'oidc',
      enabled: settings?.enabled ? 'on' : undefined,
      displayNameZh: settings?.displayNameZh ?? translate('zh-CN', 'sso.settings.defaultLabel', { name: institution.nameZh }),
      displayNameEn: settings?.displayNameEn ?? translate('en', 'sso.settings.defaultLabel', { name: institution.nameEn }),
      scopes: settings?.scopes.join('\n') ?? '',
      staffRole: settings?.staffRole ?? '',
      samlMetadataUrl: settings?.samlMetadataUrl ?? '',
      samlMetadataXml: settings?.samlMetadataXml ?? '',
      oidcIssuer: settings?.oidcIssuer ?? '',
      oidcClientId: settings?.oidcClientId ?? '',
      casBaseUrl: settings?.casBaseUrl ?? '',
    },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: providerSettingsSchema }),
    shouldValidate: 'onBlur',
  });
  return (
    <section aria-labelledby="sso-settings-title">
      <h1 id="sso-settings-title">{t('sso.settings.title', { institution: name })}</h1>
      <p>{t('sso.settings.lead')}</p>
      {actionData?.saved ? (
        <p className="notice ok" role="status">
          {t('sso.settings.saved')}
        </p>
      ) : null}
      <Form method="post" className="stacked" {...getFormProps(form)}>
        <CsrfInput />
        <FormErrors id={form.errorId} errors={form.errors} />
        <SelectField field={fields.protocol} label={t('sso.settings.protocol')} placeholder="—" options={ssoProtocols.map((p) => ({ value: p, label: t(`sso.protocol.${p}`) }))} />
        <div className="field">
          <label>
            <input type="checkbox" name="enabled" defaultChecked={settings?.enabled ?? false} /> {t('sso.settings.enabled')}
          </label>
        </div>
        <Field field={fields.displayNameZh} label={t('sso.settings.displayNameZh')} />
        <Field field={fields.displayNameEn} label={t('sso.settings.displayNameEn')} />
        <TextAreaField field={fields.scopes} label={t('sso.settings.scopes')} rows={3} />
        <p className="hint">{t('sso.settings.scopesHint')}</p>
        <SelectField
          field={fields.staffRole}
          label={t('sso.settings.staffRole')}
          placeholder={t('sso.settings.staffRoleNone')}
          options={ssoStaffRoles.map((r) => ({ value: r, label: t(`role.${r}`) }))}
        />
        <fieldset>
          <legend>{t('sso.protocol.oidc')}</legend>
          <Field field={fields.oidcIssuer} label={t('sso.settings.oidcIssuer')} />
          <Field field={fields.oidcClientId} label={t('sso.settings.oidcClientId')} />
          <Field field={fields.oidcClientSecret} label={t('sso.settings.oidcClientSecret')} type="password" autoComplete="off" hint={t(hasClientSecret ? 'sso.settings.secretKept' : 'sso.settings.secretNone')} />
          <p className="hint">
            {t('sso.settings.redirectUri')} <code>{endpoints.oidcRedirectUri}</code>
          </p>
        </fieldset>
        <fieldset>
          <legend>{t('sso.protocol.saml')}</legend>
          <Field field={fields.samlMetadataUrl} label={t('sso.settings.samlMetadataUrl')} />
          <TextAreaField field={fields.samlMetadataXml} label={t('sso.settings.samlMetadataXml')} rows={4} />
          <p className="hint">
            {t('sso.settings.spMetadata')} <a href={endpoints.samlMetadataUrl}>{endpoints.samlMetadataUrl}</a>
          </p>
        </fieldset>
        <fieldset>
          <legend>{t('sso.protocol.cas')}</legend>
          <Field field={fields.casBaseUrl} label={t('sso.settings.casBaseUrl')} />
          <p className="hint">
            {t('sso.settings.casService')} <code>{endpoints.casServiceUrl}</code>
          </p>
        </fieldset>
        <button type="submit" className="button">
          {t('common.save')}
        </button>
      </Form>
    </section>
  );
}
