import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { institutionKinds } from '../../db/schema/places.js';
import { CsrfInput } from '../components/CsrfInput.js';
import { TableScroll } from '../components/TableScroll.js';
import { Field, FormErrors, SelectField } from '../components/Field.js';
import { createInstitution, listInstitutionsWithCounts, listRegions, updateInstitution } from '../features/admin/institutions.server.js';
import { createInstitutionSchema, updateInstitutionSchema } from '../features/admin/schemas.js';
import { parseForm } from '../features/forms.server.js';
import { useLocale, useT, type MessageKey } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { requirePermission } from '../features/identity/guards.server.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'admin.institutions');

const institutionFormSchema = z.discriminatedUnion('intent', [createInstitutionSchema, updateInstitutionSchema]);

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, 'admin:institutions');
  const [institutions, regions] = await Promise.all([listInstitutionsWithCounts(), listRegions()]);
  return { institutions, regions };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requirePermission(request, context, 'admin:institutions');
  const { submission } = await parseForm(request, institutionFormSchema);
  if (submission.status !== 'success') return data({ result: submission.reply(), notice: null }, { status: 400 });
  const v = submission.value;
  if (v.intent === 'create') {
    const outcome = await createInstitution(v, admin.id, context.clientIp);
    if (outcome === 'slug-taken') return data({ result: submission.reply({ fieldErrors: { slug: ['admin.institutions.slugTaken'] } }), notice: null }, { status: 409 });
    if (outcome === 'no-region') return data({ result: submission.reply({ fieldErrors: { regionId: ['errors.invalidChoice'] } }), notice: null }, { status: 400 });
    return { result: submission.reply({ resetForm: true }), notice: { key: 'admin.institutions.created' as MessageKey, name: v.nameZh } };
  }
  const outcome = await updateInstitution({ ...v, acceptsStudentSignup: v.acceptsStudentSignup === 'on' }, admin.id, context.clientIp);
  if (outcome !== 'ok') return data({ result: submission.reply({ formErrors: ['errors.invalidChoice'] }), notice: null }, { status: outcome === 'not-found' ? 404 : 400 });
  return { result: null, notice: { key: 'admin.institutions.updated' as MessageKey, name: v.nameZh } };
}

export default function InstitutionsAdmin() {
  const { institutions, regions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  const [form, fields] = useForm({
    id: 'create-institution',
    lastResult: actionData?.result ?? undefined,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: createInstitutionSchema }),
  });
  const regionOptions = regions.map((r) => ({ value: r.id, label: `${locale === 'en' ? r.nameEn : r.nameZh} (${t(`level.${r.level}`)})` }));
  return (
    <>
      {actionData?.notice ? (
        <p className="notice ok" role="status">
          {t(actionData.notice.key, { name: actionData.notice.name })}
        </p>
      ) : null}
      <TableScroll label={t('admin.institutions')}>
        <table>
          <caption className="muted">{t('admin.institutions')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.institutions.nameZh')}</th>
              <th scope="col">{t('admin.institutions.kind')}</th>
              <th scope="col">{t('admin.institutions.region')}</th>
              <th scope="col">{t('admin.institutions.members')}</th>
              <th scope="col">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {institutions.map((i) => (
              <tr key={i.id}>
                <td>
                  {i.nameZh}
                  <br />
                  <span className="muted" lang="en">
                    {i.nameEn}
                  </span>
                </td>
                <td>{t(`kind.${i.kind}`)}</td>
                <td>{locale === 'en' ? i.regionNameEn : i.regionNameZh}</td>
                <td>{i.members}</td>
                <td>
                  <a href={`/institutions/${i.slug}/sso`}>{t('sso.settings.link')}</a>
                  <details>
                    <summary>{t('admin.institutions.editToggle')}</summary>
                    <Form method="post" className="stacked">
                      <CsrfInput />
                      <input type="hidden" name="intent" value="update" />
                      <input type="hidden" name="id" value={i.id} />
                      <div className="field">
                        <label htmlFor={`zh-${i.id}`}>{t('admin.institutions.nameZh')}</label>
                        <input id={`zh-${i.id}`} name="nameZh" defaultValue={i.nameZh} required maxLength={120} />
                      </div>
                      <div className="field">
                        <label htmlFor={`en-${i.id}`}>{t('admin.institutions.nameEn')}</label>
                        <input id={`en-${i.id}`} name="nameEn" defaultValue={i.nameEn} required maxLength={200} />
                      </div>
                      <div className="field">
                        <label htmlFor={`region-${i.id}`}>{t('admin.institutions.region')}</label>
                        <select id={`region-${i.id}`} name="regionId" defaultValue={i.regionId}>
                          {regionOptions.map((o) => (
                            <option key={o.value} value={o.value}>
                              {o.label}
                            </option>
                          ))}
                        </select>
                      </div>
                      <div className="field">
                        <label>
                          <input type="checkbox" name="acceptsStudentSignup" defaultChecked={i.acceptsStudentSignup} /> {t('nav.signup')}
                        </label>
                      </div>
                      <button type="submit" className="button">
                        {t('common.save')}
                      </button>
                    </Form>
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <h2 id="create-title">{t('admin.institutions.create')}</h2>
      <Form method="post" className="stacked" aria-labelledby="create-title" {...getFormProps(form)}>
        <CsrfInput />
        <input type="hidden" name="intent" value="create" />
        <FormErrors id={form.errorId} errors={form.errors} />
        <Field field={fields.nameZh} label={t('admin.institutions.nameZh')} />
        <Field field={fields.nameEn} label={t('admin.institutions.nameEn')} />
        <Field field={fields.slug} label={t('admin.institutions.slug')} />
        <SelectField field={fields.kind} label={t('admin.institutions.kind')} placeholder="—" options={institutionKinds.map((k) => ({ value: k, label: t(`kind.${k}`) }))} />
        <SelectField field={fields.regionId} label={t('admin.institutions.region')} placeholder="—" options={regionOptions} />
        <button type="submit" className="button">
          {t('admin.institutions.create')}
        </button>
      </Form>
    </>
  );
}
