import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { CsrfInput } from '../components/CsrfInput.js';
import { parseForm } from '../features/forms.server.js';
import { formatDateTime, useLocale, useT } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { renderLessonMarkdown } from '../features/learning/markdown.js';
import { lessonTextSchema } from '../features/studio/course-schemas.js';
import { requireLessonTeacher } from '../features/studio/lesson-access.server.js';
import { getLessonText, saveLessonText } from '../features/studio/lesson-text.server.js';
import { StudioLessonNav } from '../features/studio/StudioLessonNav.js';
import { pick } from '../components/catalog/labels.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'studio.lesson.text');

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { lesson } = await requireLessonTeacher(request, context, params.lessonId);
  const text = await getLessonText(lesson.id);
  if (!text) throw data({ reason: 'not-found' as const }, { status: 404 });
  return { lesson, text, previewHtml: renderLessonMarkdown(text.bodyZh) };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { lesson } = await requireLessonTeacher(request, context, params.lessonId);
  const { submission } = await parseForm(request, lessonTextSchema);
  if (submission.status !== 'success') return data({ kind: 'invalid' as const }, { status: 400 });
  const v = submission.value;
  const outcome = await saveLessonText(lesson, v.version, v);
  if (outcome.kind === 'not-found') throw data({ reason: 'not-found' as const }, { status: 404 });
  if (outcome.kind === 'stale') {
    // Nothing is overwritten: the teacher keeps their draft and sees what is stored now.
    return data({ kind: 'stale' as const, mine: { bodyZh: v.bodyZh, bodyEn: v.bodyEn ?? '' }, current: outcome.current, currentHtml: renderLessonMarkdown(outcome.current.bodyZh) }, { status: 409 });
  }
  return { kind: 'saved' as const, version: outcome.version };
}

export default function LessonTextEditor() {
  const { lesson, text, previewHtml } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  const stale = actionData?.kind === 'stale' ? actionData : null;
  // After a conflict the form carries the stored version, so saving again is a deliberate replace.
  const version = stale ? stale.current.version : text.version;
  const draft = stale ? stale.mine : { bodyZh: text.bodyZh, bodyEn: text.bodyEn ?? '' };
  const title = pick(locale, lesson.titleZh, lesson.titleEn);
  return (
    <section aria-labelledby="text-title">
      <StudioLessonNav lessonId={lesson.id} courseId={lesson.courseId} current="/text" draft={lesson.draft} />
      <h1 id="text-title">{t('studio.text.title', { lesson: title })}</h1>
      {actionData?.kind === 'saved' ? (
        <p className="notice ok" role="status">
          {t('studio.text.saved', { version: actionData.version })}
        </p>
      ) : null}
      {actionData?.kind === 'invalid' ? (
        <p className="notice warn" role="alert">
          {t('errors.formInvalid')}
        </p>
      ) : null}
      {stale ? (
        <p className="notice warn" role="alert">
          {t('studio.text.stale', { version: stale.current.version })}
        </p>
      ) : null}
      <p className="muted">{t('studio.text.version', { version: text.version, when: formatDateTime(locale, new Date(text.updatedAt)) })}</p>
      <Form method="post" className="stacked wide" key={`${version}-${stale ? 'stale' : 'fresh'}`}>
        <CsrfInput />
        <input type="hidden" name="version" value={version} />
        <p className="hint" id="syntax-hint">
          {t('studio.text.syntax')}
        </p>
        <div className="field">
          <label htmlFor="bodyZh">{t('studio.text.bodyZh')}</label>
          <textarea id="bodyZh" name="bodyZh" rows={14} defaultValue={draft.bodyZh} aria-describedby="syntax-hint" maxLength={50000} />
        </div>
        <div className="field">
          <label htmlFor="bodyEn">{t('studio.text.bodyEn')}</label>
          <textarea id="bodyEn" name="bodyEn" rows={8} defaultValue={draft.bodyEn} aria-describedby="syntax-hint" maxLength={50000} lang="en" />
        </div>
        <button type="submit" className="button">
          {t('studio.text.save')}
        </button>
      </Form>
      {stale ? (
        <section className="panel" aria-labelledby="current-title">
          <h2 id="current-title">{t('studio.text.current', { version: stale.current.version })}</h2>
          {/* Rendered by the safe Markdown subset: every character escaped, http(s) links only. */}
          <div className="lesson-text" dangerouslySetInnerHTML={{ __html: stale.currentHtml }} />
          {stale.current.bodyEn ? <pre className="source-text">{stale.current.bodyEn}</pre> : null}
        </section>
      ) : null}
      <section className="panel" aria-labelledby="preview-title">
        <h2 id="preview-title">{t('studio.text.preview')}</h2>
        {previewHtml ? <div className="lesson-text" dangerouslySetInnerHTML={{ __html: previewHtml }} /> : <p className="muted">{t('studio.text.empty')}</p>}
      </section>
    </section>
  );
}
