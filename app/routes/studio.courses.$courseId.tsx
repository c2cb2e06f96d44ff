import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { CsrfInput } from '../components/CsrfInput.js';
import { parseForm } from '../features/forms.server.js';
import { formatDateTime, useLocale, useT, type MessageKey } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { requireCourseTeacher } from '../features/studio/course-access.server.js';
import { courseEditSchema, type CourseEdit } from '../features/studio/course-schemas.js';
import {
  addLesson,
  addModule,
  deleteLesson,
  deleteModule,
  moveCourseLesson,
  setLessonDraft,
  moveCourseModule,
  renameLesson,
  renameModule,
  type StructureOutcome,
} from '../features/studio/course-structure.server.js';
import { loadCourseOutline, setCoursePublished, updateCourseMetadata } from '../features/studio/courses.server.js';
import { CourseMetadataForm } from '../features/studio/CourseMetadataForm.js';
import { CourseOutlineEditor } from '../features/studio/CourseOutlineEditor.js';
import { pick } from '../components/catalog/labels.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'studio.editor.metadata');

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { course } = await requireCourseTeacher(request, context, params.courseId);
  const { searchTokens: _s, titleTokens: _t, ...fields } = course;
  return { course: fields, ...(await loadCourseOutline(course.id)) };
}

// Notices after a successful change travel in the redirect's query (Post/Redirect/Get).
const doneNotices = { saved: 'studio.lesson.saved', moved: 'studio.editor.moved', published: 'studio.editor.publishedNotice', unpublished: 'studio.editor.unpublishedNotice', lessonPublished: 'studio.lesson.publishedNotice', lessonDrafted: 'studio.lesson.draftedNotice' } as const satisfies Record<string, MessageKey>;
const failures: Record<Exclude<StructureOutcome, 'ok'> | 'no-lessons', { status: number; notice: MessageKey }> = {
  'not-found': { status: 404, notice: 'studio.editor.notFound' },
  'not-empty': { status: 409, notice: 'studio.module.notEmpty' },
  'cannot-move': { status: 409, notice: 'studio.editor.cannotMove' },
  'no-lessons': { status: 409, notice: 'studio.editor.needsLesson' },
};

async function applyEdit(courseId: string, v: Exclude<CourseEdit, { intent: 'metadata' }>): Promise<{ outcome: StructureOutcome | 'no-lessons'; anchor?: string; done: keyof typeof doneNotices }> {
  switch (v.intent) {
    case 'publish':
    case 'unpublish':
      return { outcome: await setCoursePublished(courseId, v.intent === 'publish'), done: v.intent === 'publish' ? 'published' : 'unpublished' };
    case 'add-module':
      return { outcome: await addModule(courseId, v), anchor: 'add-module-title', done: 'saved' };
    case 'rename-module':
      return { outcome: await renameModule(courseId, v.moduleId, v), anchor: `module-${v.moduleId}`, done: 'saved' };
    case 'delete-module':
      return { outcome: await deleteModule(courseId, v.moduleId), anchor: 'structure-title', done: 'saved' };
    case 'move-module':
      return { outcome: await moveCourseModule(courseId, v.moduleId, v.direction), anchor: `module-${v.moduleId}`, done: 'moved' };
    case 'add-lesson': {
      const added = await addLesson(courseId, v.moduleId, v);
      return typeof added === 'string' ? { outcome: added, done: 'saved' } : { outcome: 'ok', anchor: `lesson-${added.lessonId}`, done: 'saved' };
    }
    case 'rename-lesson':
      return { outcome: await renameLesson(courseId, v.lessonId, v), anchor: `lesson-${v.lessonId}`, done: 'saved' };
    case 'delete-lesson':
      return { outcome: await deleteLesson(courseId, v.lessonId), anchor: 'structure-title', done: 'saved' };
    case 'move-lesson':
      return { outcome: await moveCourseLesson(courseId, v.lessonId, v.direction), anchor: `lesson-${v.lessonId}`, done: 'moved' };
    case 'publish-lesson':
    case 'draft-lesson':
      return { outcome: await setLessonDraft(courseId, v.lessonId, v.intent === 'draft-lesson'), anchor: `lesson-${v.lessonId}`, done: v.intent === 'publish-lesson' ? 'lessonPublished' : 'lessonDrafted' };
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { course } = await requireCourseTeacher(request, context, params.courseId);
  const { submission } = await parseForm(request, courseEditSchema);
  if (submission.status !== 'success') return data({ result: submission.reply(), notice: 'errors.formInvalid' as MessageKey, ok: false }, { status: 400 });
  const v = submission.value;
  if (v.intent === 'metadata') {
    await updateCourseMetadata(course, v);
    return { result: submission.reply(), notice: 'studio.editor.saved' as MessageKey, ok: true };
  }
  const { outcome, anchor, done } = await applyEdit(course.id, v);
  if (outcome !== 'ok') return data({ result: undefined, notice: failures[outcome].notice, ok: false }, { status: failures[outcome].status });
  return redirect(`/studio/courses/${course.id}?done=${done}${anchor ? `#${anchor}` : ''}`);
}

export default function CourseEditor() {
  const { course, modules, looseLessons, partnerIds, institutions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const t = useT();
  const locale = useLocale();
  const done = params.get('done') as keyof typeof doneNotices | null;
  const title = pick(locale, course.titleZh, course.titleEn);
  const metadataResult = actionData && 'result' in actionData && actionData.result ? actionData.result : undefined;
  return (
    <section aria-labelledby="editor-title">
      <p>
        <a href="/studio">{t('studio.editor.back')}</a>
      </p>
      <h1 id="editor-title">{t('studio.editor.title', { course: title })}</h1>
      {actionData?.notice ? (
        <p className={`notice ${actionData.ok ? 'ok' : 'warn'}`} role={actionData.ok ? 'status' : 'alert'}>
          {t(actionData.notice)}
        </p>
      ) : done && done in doneNotices ? (
        <p className="notice ok" role="status">
          {t(doneNotices[done])}
        </p>
      ) : null}
      <div className="panel" data-course-status={course.publishedAt ? 'published' : 'draft'}>
        <p>
          <strong>{t('studio.editor.status')}:</strong>{' '}
          {course.publishedAt ? `${t('studio.course.published')} · ${formatDateTime(locale, new Date(course.publishedAt))}` : t('studio.course.draft')}
        </p>
        <Form method="post" className="inline-form">
          <CsrfInput />
          <input type="hidden" name="intent" value={course.publishedAt ? 'unpublish' : 'publish'} />
          <button type="submit" className={course.publishedAt ? 'button secondary' : 'button'}>
            {t(course.publishedAt ? 'studio.editor.unpublish' : 'studio.editor.publish')}
          </button>
        </Form>{' '}
        {course.publishedAt ? <a href={`/courses/${course.slug}`}>{t('studio.editor.catalogLink')}</a> : null} · <a href={`/studio/courses/${course.id}/stats`}>{t('studio.home.stats')}</a>
      </div>
      <h2 id="structure-title">{t('studio.editor.structure')}</h2>
      <CourseOutlineEditor modules={modules} looseLessons={looseLessons} />
      <h2 id="metadata-title">{t('studio.editor.metadata')}</h2>
      <CourseMetadataForm course={course} partnerIds={partnerIds} institutions={institutions} lastResult={metadataResult} />
    </section>
  );
}
