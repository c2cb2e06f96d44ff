import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { CsrfInput } from '../components/CsrfInput.js';
import { formatCredits, pick } from '../components/catalog/labels.js';
import { enrol, findPublishedCourse, studentCourseState } from '../features/catalog/course.server.js';
import { requireCsrfForm } from '../features/forms.server.js';
import { formatDate, useLocale, useT, type MessageKey } from '../features/i18n/i18n.js';
import { namedTitleMeta } from '../features/i18n/metaTitle.js';
import { requireUser } from '../features/identity/guards.server.js';
import { getCurrentUser } from '../features/identity/session.server.js';
import { canTeachLesson } from '../features/studio/lesson-access.server.js';

export const meta: MetaFunction<typeof loader> = ({ matches, data: loaded }) =>
  namedTitleMeta(matches, [loaded?.course ? { zh: loaded.course.titleZh, en: loaded.course.titleEn } : null], 'catalog.title');

async function loadCourse(slug: string | undefined) {
  const course = slug ? await findPublishedCourse(slug) : null;
  if (!course) throw data({ reason: 'not-found' as const }, { status: 404 });
  return course;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const course = await loadCourse(params.slug);
  const user = await getCurrentUser(request);
  const state = user ? await studentCourseState(user, course) : null;
  const teaches = user ? await canTeachLesson(user, { courseId: course.id, institutionId: course.institutionId }) : false;
  const origin = new URL(request.url).origin;
  return { course, state, teaches, jsonLd: courseJsonLd(course, origin) };
}

/** schema.org Course, for search engines and the province's resource directory. */
function courseJsonLd(course: NonNullable<Awaited<ReturnType<typeof findPublishedCourse>>>, origin: string) {
  return {
    '@context': 'https://schema.org',
    '@type': 'Course',
    name: course.titleZh,
    ...(course.titleEn ? { alternateName: course.titleEn } : {}),
    description: course.summaryZh || course.descriptionZh,
    url: `${origin}/courses/${course.slug}`,
    courseCode: course.slug,
    inLanguage: course.language === 'en' ? 'en' : course.language === 'bilingual' ? ['zh-CN', 'en'] : 'zh-CN',
    provider: { '@type': 'CollegeOrUniversity', name: course.institutionZh, alternateName: course.institutionEn, url: `${origin}/institutions/${course.institutionSlug}` },
    ...(course.prerequisitesZh ? { coursePrerequisites: course.prerequisitesZh } : {}),
    numberOfCredits: Number(course.credits),
    timeRequired: `PT${course.classHours * 45}M`,
    isAccessibleForFree: true,
    hasCourseInstance: {
      '@type': 'CourseInstance',
      courseMode: 'online',
      instructor: course.teachers.map((name) => ({ '@type': 'Person', name })),
    },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await requireCsrfForm(request);
  const course = await loadCourse(params.slug);
  if (form.get('intent') !== 'enrol') throw data({ reason: 'bad-request' as const }, { status: 400 });
  const decision = await enrol(user, course);
  if (!decision.allowed) return data({ refused: decision.reason }, { status: 403 });
  throw redirect(`/courses/${course.slug}?enrolled=1`);
}

function JsonLd({ value }: { value: unknown }) {
  // `<` escaped so that no text in the course can close the script element.
  return <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: JSON.stringify(value).replace(/</g, '\\u003c') }} />;
}

export default function CoursePage() {
  const { course, state, teaches, jsonLd } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const t = useT();
  const locale = useLocale();
  const title = pick(locale, course.titleZh, course.titleEn);
  const institution = pick(locale, course.institutionZh, course.institutionEn);
  const done = new Set(state?.completedLessonIds ?? []);
  const lessonCount = course.syllabus.reduce((n, m) => n + m.lessons.length, 0);
  const canOpen = Boolean(state?.enrolled) || teaches;
  const firstLesson = course.syllabus[0]?.lessons[0]?.id;
  const policy =
    course.enrolmentPolicy === 'open'
      ? t('policy.open')
      : course.enrolmentPolicy === 'institution'
        ? t('policy.institution', { institution })
        : t('policy.partners', { institution, partners: course.partners.map((p) => pick(locale, p.nameZh, p.nameEn)).join(t('common.listSeparator')) });
  const refusal = refused?.refused ?? (state?.decision && !state.decision.allowed ? state.decision.reason : null);
  return (
    <article aria-labelledby="course-title">
      <JsonLd value={jsonLd} />
      <p className="muted">
        <a href="/courses">{t('catalog.title')}</a> › <a href={`/institutions/${course.institutionSlug}`}>{institution}</a>
      </p>
      <h1 id="course-title">{title}</h1>
      <p>{pick(locale, course.summaryZh, course.summaryEn)}</p>

      <section className="panel" aria-labelledby="enrol-title">
        <h2 id="enrol-title" className="visually-hidden">
          {t('course.enrolment')}
        </h2>
        {searchParams.get('enrol') === 'required' && !state?.enrolled ? <p className="notice warn">{t('course.enrolRequired')}</p> : null}
        {searchParams.get('enrolled') === '1' && state?.enrolled ? (
          <p className="notice ok" role="status">
            {t('course.enrolledNow')}
          </p>
        ) : null}
        {teaches ? <p>{t('course.teacherPreview')}</p> : null}
        {!state ? (
          <p>
            <a className="button" href={`/login?redirectTo=${encodeURIComponent(`/courses/${course.slug}`)}`}>
              {t('course.enrolLogin')}
            </a>
          </p>
        ) : state.enrolled ? (
          <>
            {state.record ? (
              <p className="notice ok">
                {state.record.finalGrade !== null
                  ? t('course.completed', { grade: state.record.finalGrade, credits: formatCredits(state.record.credits), date: formatDate(locale, new Date(state.record.completedOn)) })
                  : t('course.completedPass', { credits: formatCredits(state.record.credits), date: formatDate(locale, new Date(state.record.completedOn)) })}
              </p>
            ) : (
              <p>{t('course.enrolled')}</p>
            )}
            <p>
              <label htmlFor="course-progress">{t('course.progress', { done: done.size, total: lessonCount })}</label>{' '}
              <progress id="course-progress" max={lessonCount} value={done.size} />
            </p>
            {state.continueLessonId ? (
              <p>
                <a className="button" href={`/lessons/${state.continueLessonId}`}>
                  {done.size > 0 ? t('course.continue') : t('course.start')}
                </a>
              </p>
            ) : null}
          </>
        ) : refusal ? (
          <p className="notice warn" role={refused ? 'alert' : undefined}>
            {t(`course.refused.${refusal}` as MessageKey)}
          </p>
        ) : (
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="intent" value="enrol" />
            <button type="submit" className="button">
              {t('course.enrol')}
            </button>
          </Form>
        )}
        {teaches && firstLesson && !state?.enrolled ? (
          <p>
            <a href={`/lessons/${firstLesson}`}>{t('course.start')}</a>
          </p>
        ) : null}
      </section>

      <dl className="facts">
        <dt>{t('course.institution')}</dt>
        <dd>
          <a href={`/institutions/${course.institutionSlug}`}>{institution}</a> ({pick(locale, course.regionZh, course.regionEn)})
        </dd>
        {course.teachers.length > 0 ? (
          <>
            <dt>{t('course.teachers')}</dt>
            <dd>{course.teachers.join(t('common.listSeparator'))}</dd>
          </>
        ) : null}
        <dt>{t('course.credits')}</dt>
        <dd>{Number(course.credits) > 0 ? t('course.creditsValue', { credits: formatCredits(course.credits), hours: course.classHours }) : t('course.noCredit', { hours: course.classHours })}</dd>
        <dt>{t('course.level')}</dt>
        <dd>{t(`courseLevel.${course.level}` as MessageKey)}</dd>
        <dt>{t('course.subject')}</dt>
        <dd>{t(`subject.${course.subject}` as MessageKey)}</dd>
        <dt>{t('course.language')}</dt>
        <dd>{t(`courseLang.${course.language}` as MessageKey)}</dd>
        <dt>{t('course.enrolment')}</dt>
        <dd>{policy}</dd>
        {course.prerequisitesZh ? (
          <>
            <dt>{t('course.prerequisites')}</dt>
            <dd>{pick(locale, course.prerequisitesZh, course.prerequisitesEn)}</dd>
          </>
        ) : null}
      </dl>
      <p className="muted">{t('course.passGrade', { grade: formatCredits(course.passGrade) })}</p>

      {course.descriptionZh ? (
        <section aria-labelledby="about-title">
          <h2 id="about-title">{t('course.about')}</h2>
          <p>{pick(locale, course.descriptionZh, course.descriptionEn)}</p>
        </section>
      ) : null}

      <section aria-labelledby="syllabus-title" className="syllabus">
        <h2 id="syllabus-title">{t('course.syllabus')}</h2>
        {course.syllabus.map((module) => (
          <section key={module.id ?? 'none'} aria-label={module.titleZh ? pick(locale, module.titleZh, module.titleEn) : t('course.lessonsOutsideModules')}>
            <h3>{module.titleZh ? pick(locale, module.titleZh, module.titleEn) : t('course.lessonsOutsideModules')}</h3>
            <ol>
              {module.lessons.map((lesson) => {
                const name = pick(locale, lesson.titleZh, lesson.titleEn);
                const notes = [
                  lesson.durationSeconds ? t('course.lesson.video', { minutes: Math.max(1, Math.round(lesson.durationSeconds / 60)) }) : null,
                  lesson.hasQuiz ? t('course.lesson.quiz') : null,
                  done.has(lesson.id) ? t('course.lesson.done') : null,
                ].filter(Boolean);
                return (
                  <li key={lesson.id}>
                    {canOpen ? <a href={`/lessons/${lesson.id}`}>{name}</a> : name}
                    {notes.length > 0 ? <span className="muted"> ({notes.join(t('common.listSeparator'))})</span> : null}
                  </li>
                );
              })}
            </ol>
          </section>
        ))}
      </section>
    </article>
  );
}
