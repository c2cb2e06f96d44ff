import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { CsrfInput } from '../components/CsrfInput.js';
import { Field, FormErrors, SelectField } from '../components/Field.js';
import { parseForm } from '../features/forms.server.js';
import { pick } from '../components/catalog/labels.js';
import { formatDate, useLocale, useT } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { requireUser } from '../features/identity/guards.server.js';
import { hasPermission } from '../features/identity/permissions.js';
import { recordAccessDenied } from '../features/audit/audit.server.js';
import { getServices } from '../services.server.js';
import { createCourseSchema } from '../features/studio/course-schemas.js';
import { createCourse, listTaughtCourses, teachingInstitutions } from '../features/studio/courses.server.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'studio.home.title');

/** Teachers (and administrators, who may open any course) only; anyone else is refused and audited. */
async function requireStudioUser(request: Request, context: ActionFunctionArgs['context']) {
  const user = await requireUser(request);
  if (hasPermission(user.memberships, 'studio:teach') || hasPermission(user.memberships, 'admin:institutions')) return user;
  await recordAccessDenied(getServices().db, { userId: user.id, ip: context.clientIp, permission: 'studio:teach', method: request.method, path: new URL(request.url).pathname });
  throw data({ reason: 'forbidden' as const }, { status: 403 });
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireStudioUser(request, context);
  const [courses, institutions] = await Promise.all([listTaughtCourses(user.id), teachingInstitutions(user)]);
  return { courses, institutions };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireStudioUser(request, context);
  const { submission } = await parseForm(request, createCourseSchema);
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 });
  const institution = (await teachingInstitutions(user)).find((i) => i.id === submission.value.institutionId);
  if (!institution) {
    await recordAccessDenied(getServices().db, { userId: user.id, institutionId: submission.value.institutionId, ip: context.clientIp, permission: 'studio:teach', method: request.method, path: new URL(request.url).pathname });
    throw data({ reason: 'forbidden' as const }, { status: 403 });
  }
  const courseId = await createCourse(user.id, institution, submission.value);
  return redirect(`/studio/courses/${courseId}`);
}

export default function StudioHome() {
  const { courses, institutions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  const pickTitle = (zh: string, en: string | null) => pick(locale, zh, en);
  const [form, fields] = useForm({
    id: 'create-course',
    lastResult: actionData?.result,
    defaultValue: { institutionId: institutions.length === 1 ? institutions[0]!.id : '' },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: createCourseSchema }),
  });
  return (
    <section aria-labelledby="studio-home-title">
      <h1 id="studio-home-title">{t('studio.home.title')}</h1>
      <p>{t('studio.home.lead')}</p>
      {courses.length === 0 ? <p>{t('studio.home.none')}</p> : null}
      <ul className="course-list">
        {courses.map((c) => (
          <li key={c.id} className="panel">
            <h2>
              <a href={`/studio/courses/${c.id}`}>{pickTitle(c.titleZh, c.titleEn)}</a>
            </h2>
            <p className="muted">
              {locale === 'en' ? c.institutionEn : c.institutionZh} · {t('studio.course.lessonCount', { count: c.lessonCount })} ·{' '}
              {c.publishedAt ? `${t('studio.course.published')} ${formatDate(locale, new Date(c.publishedAt))}` : t('studio.course.draft')}
            </p>
            <p>
              <a href={`/studio/courses/${c.id}`}>{t('studio.home.edit')}</a> · <a href={`/studio/courses/${c.id}/stats`}>{t('studio.home.stats')}</a>
            </p>
          </li>
        ))}
      </ul>
      <h2 id="create-course-title">{t('studio.home.create')}</h2>
      {institutions.length === 0 ? (
        <p>{t('studio.home.noInstitution')}</p>
      ) : (
        <Form method="post" className="stacked" aria-labelledby="create-course-title" {...getFormProps(form)}>
          <CsrfInput />
          <input type="hidden" name="intent" value="create" />
          <p className="hint">{t('studio.home.createHint')}</p>
          <FormErrors id={form.errorId} errors={form.errors} />
          <SelectField field={fields.institutionId} label={t('studio.home.institution')} placeholder="—" options={institutions.map((i) => ({ value: i.id, label: locale === 'en' ? i.nameEn : i.nameZh }))} />
          <Field field={fields.titleZh} label={t('studio.field.titleZh')} />
          <Field field={fields.titleEn} label={t('studio.field.titleEn')} />
          <button type="submit" className="button">
            {t('studio.home.create')}
          </button>
        </Form>
      )}
    </section>
  );
}
