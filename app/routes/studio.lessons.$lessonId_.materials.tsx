import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { CsrfInput } from '../components/CsrfInput.js';
import { IntentButton } from '../components/IntentButton.js';
import { getEnv } from '../env.server.js';
import { parseForm } from '../features/forms.server.js';
import { useLocale, useT, type MessageKey } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { requireLessonTeacher } from '../features/studio/lesson-access.server.js';
import { deleteMaterial, listLessonMaterials, storeMaterial } from '../features/studio/materials.server.js';
import { formatBytes } from '../features/studio/format-bytes.js';
import { StudioLessonNav } from '../features/studio/StudioLessonNav.js';
import { pick } from '../components/catalog/labels.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'studio.lesson.materials');

const materialActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('upload'), file: z.instanceof(File, { message: 'errors.required' }) }),
  z.object({ intent: z.literal('delete'), materialId: z.string().uuid() }),
]);

type Notice = { ok: boolean; key: MessageKey; params?: Record<string, string | number> };
const megabytes = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { lesson } = await requireLessonTeacher(request, context, params.lessonId);
  return { lesson, materials: await listLessonMaterials(lesson.id), maxMb: megabytes(getEnv().MATERIAL_MAX_BYTES) };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, lesson } = await requireLessonTeacher(request, context, params.lessonId);
  const { submission } = await parseForm(request, materialActionSchema);
  if (submission.status !== 'success') return data<Notice>({ ok: false, key: 'errors.required' }, { status: 400 });
  const v = submission.value;
  if (v.intent === 'delete') {
    const deleted = await deleteMaterial(lesson.id, v.materialId);
    return data<Notice>(deleted ? { ok: true, key: 'studio.materials.deleted' } : { ok: false, key: 'studio.editor.notFound' }, { status: deleted ? 200 : 404 });
  }
  const outcome = await storeMaterial(lesson.id, user.id, v.file);
  switch (outcome.kind) {
    case 'too-big':
      return data<Notice>({ ok: false, key: 'studio.materials.tooBig', params: { mb: megabytes(outcome.maxBytes) } }, { status: 413 });
    case 'forbidden-type':
      return data<Notice>({ ok: false, key: 'studio.materials.forbidden' }, { status: 415 });
    case 'empty':
      return data<Notice>({ ok: false, key: 'studio.materials.empty' }, { status: 422 });
    case 'stored':
      return data<Notice>({ ok: true, key: 'studio.materials.uploaded', params: { name: outcome.material.fileName } }, { status: 201 });
  }
}

export default function LessonMaterials() {
  const { lesson, materials, maxMb } = useLoaderData<typeof loader>();
  const notice = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  const title = pick(locale, lesson.titleZh, lesson.titleEn);
  return (
    <section aria-labelledby="materials-title">
      <StudioLessonNav lessonId={lesson.id} courseId={lesson.courseId} current="/materials" draft={lesson.draft} />
      <h1 id="materials-title">{t('studio.materials.title', { lesson: title })}</h1>
      {notice ? (
        <p className={`notice ${notice.ok ? 'ok' : 'warn'}`} role={notice.ok ? 'status' : 'alert'}>
          {t(notice.key, notice.params)}
        </p>
      ) : null}
      <Form method="post" encType="multipart/form-data" className="stacked">
        <CsrfInput />
        <input type="hidden" name="intent" value="upload" />
        <div className="field">
          <label htmlFor="material-file">{t('studio.materials.file')}</label>
          <p className="hint" id="material-hint">
            {t('studio.materials.hint', { mb: maxMb })}
          </p>
          <input id="material-file" name="file" type="file" required aria-describedby="material-hint" accept=".pdf,.docx,.pptx,.xlsx,.zip,.png,.jpg,.jpeg" />
        </div>
        <button type="submit" className="button">
          {t('studio.materials.upload')}
        </button>
      </Form>
      <h2>{t('materials.title')}</h2>
      {materials.length === 0 ? <p className="muted">{t('materials.none')}</p> : null}
      <ul className="material-admin-list">
        {materials.map((m) => (
          <li key={m.id}>
            <a href={`/lessons/${lesson.id}/materials/${m.id}`}>{m.fileName}</a> <span className="muted">({formatBytes(locale, m.sizeBytes)})</span>{' '}
            <IntentButton intent="delete" fields={{ materialId: m.id }} label={t('studio.materials.delete', { name: m.fileName })} inline />
          </li>
        ))}
      </ul>
    </section>
  );
}
