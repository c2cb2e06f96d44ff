import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useLoaderData, useSearchParams } from '@remix-run/react';
import type { Role } from '../../db/schema/identity.js';
import { MembershipList } from '../components/MembershipList.js';
import { useLocale, useT, type MessageKey } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { getCurrentUser } from '../features/identity/session.server.js';
import { listTaughtLessons } from '../features/studio/lesson-access.server.js';
import { pick } from '../components/catalog/labels.js';
import { listMyCourses } from '../features/catalog/course.server.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'nav.home');

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getCurrentUser(request);
  if (!user) return { user: null, teaches: [], myCourses: [] };
  const teaches = user.memberships.some((m) => m.role === 'teacher') ? await listTaughtLessons(user.id) : [];
  const myCourses = user.memberships.some((m) => m.role === 'student') ? await listMyCourses(user.id) : [];
  return {
    user: {
      displayName: user.displayName,
      memberships: user.memberships,
    },
    teaches,
    myCourses,
  };
}

type MyCourse = Awaited<ReturnType<typeof listMyCourses>>[number];

/** The student's courses, most recent first, each with progress and a way back in. */
function MyCourses({ courses }: { courses: MyCourse[] }) {
  const t = useT();
  const locale = useLocale();
  if (courses.length === 0) {
    return (
      <p>
        {t('home.student.none')} <a href="/courses">{t('home.student.browse')}</a>
      </p>
    );
  }
  return (
    <>
      <h3>{t('home.student.courses')}</h3>
      <ul>
        {courses.map((c) => (
          <li key={c.slug}>
            <a href={`/courses/${c.slug}`}>{pick(locale, c.titleZh, c.titleEn)}</a> ({c.completed ? t('home.student.completed') : t('home.student.progress', { done: c.completedLessons, total: c.lessonCount })})
            {!c.completed && c.lastLessonId ? (
              <>
                {' '}
                <a href={`/lessons/${c.lastLessonId}`}>{t('course.continue')}</a>
              </>
            ) : null}
          </li>
        ))}
      </ul>
      <p>
        <a href="/courses">{t('home.student.browse')}</a>
      </p>
    </>
  );
}

type Membership = { role: Role; institutionSlug: string; institutionNameZh: string; institutionNameEn: string };

type TaughtLesson = { courseId: string; courseTitleZh: string; courseTitleEn: string | null; lessonId: string; titleZh: string; titleEn: string | null };

function TeacherLessons({ lessons }: { lessons: TaughtLesson[] }) {
  const locale = useLocale();
  const pick = (zh: string, en: string | null) => (locale === 'en' && en ? en : zh);
  const byCourse = new Map<string, TaughtLesson[]>();
  for (const l of lessons) byCourse.set(l.courseId, [...(byCourse.get(l.courseId) ?? []), l]);
  return (
    <>
      {[...byCourse.values()].map((ls) => (
        <div key={ls[0]!.courseId}>
          <h3>{pick(ls[0]!.courseTitleZh, ls[0]!.courseTitleEn)}</h3>
          <ul>
            {ls.map((l) => (
              <li key={l.lessonId}>
                <a href={`/studio/lessons/${l.lessonId}`}>{pick(l.titleZh, l.titleEn)}</a>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </>
  );
}

function RolePanel({ role, memberships, teaches, myCourses }: { role: Role; memberships: Membership[]; teaches: TaughtLesson[]; myCourses: MyCourse[] }) {
  const t = useT();
  const locale = useLocale();
  const name = (m: Membership) => (locale === 'en' ? m.institutionNameEn : m.institutionNameZh);
  return (
    <section className="panel" aria-labelledby={`panel-${role}`} data-role-panel={role}>
      <h2 id={`panel-${role}`}>{t(`home.${role}.title` as MessageKey)}</h2>
      <p>{t(`home.${role}.body` as MessageKey)}</p>
      {role === 'registrar' ? (
        <ul>
          {memberships.map((m) => (
            <li key={m.institutionSlug}>
              <a href={`/institutions/${m.institutionSlug}/members`}>{t('home.registrar.members', { institution: name(m) })}</a>
              {' · '}
              <a href={`/institutions/${m.institutionSlug}/credits`}>{t('home.registrar.credits', { institution: name(m) })}</a>
            </li>
          ))}
        </ul>
      ) : null}
      {role === 'teacher' || role === 'assistant' ? (
        <p>
          <a href="/classroom">{t('home.classroom.link')}</a>
        </p>
      ) : null}
      {role === 'teacher' ? (
        <>
          <p>
            <a className="button" href="/studio">
              {t('studio.home.title')}
            </a>
          </p>
          <TeacherLessons lessons={teaches} />
        </>
      ) : null}
      {role === 'student' ? <MyCourses courses={myCourses} /> : null}
      {role === 'student' ? (
        <p>
          <a href="/credits">{t('home.student.credits')}</a>
        </p>
      ) : null}
      {role === 'institution_admin' ? (
        <ul>
          {memberships.map((m) => (
            <li key={m.institutionSlug}>
              <a href={`/institutions/${m.institutionSlug}/onboarding`}>{t('home.institution_admin.link', { institution: name(m) })}</a>
            </li>
          ))}
        </ul>
      ) : null}
      {role === 'admin' ? (
        <p>
          <a className="button" href="/admin">
            {t('home.admin.link')}
          </a>
        </p>
      ) : null}
    </section>
  );
}

function Landing() {
  const t = useT();
  const [searchParams] = useSearchParams();
  return (
    <section aria-labelledby="landing-title">
      {searchParams.get('deleted') === '1' ? (
        <p className="notice ok" role="status">
          {t('account.deleted')}
        </p>
      ) : null}
      <h1 id="landing-title">{t('home.anon.title')}</h1>
      <p>{t('home.anon.lead')}</p>
      <ul>
        <li>{t('home.anon.point1')}</li>
        <li>{t('home.anon.point2')}</li>
        <li>{t('home.anon.point3')}</li>
      </ul>
      <p>
        <a className="button" href="/login">
          {t('home.anon.cta')}
        </a>{' '}
        <a className="button secondary" href="/courses">
          {t('home.student.browse')}
        </a>
      </p>
    </section>
  );
}

export default function Home() {
  const { user, teaches, myCourses } = useLoaderData<typeof loader>();
  const t = useT();
  const [searchParams] = useSearchParams();
  const joined = searchParams.get('joined') === '1';
  if (!user) return <Landing />;
  const roles = [...new Set(user.memberships.map((m) => m.role))];
  return (
    <section aria-labelledby="home-title">
      <h1 id="home-title">{t('home.title', { name: user.displayName })}</h1>
      {joined ? (
        <p className="notice ok" role="status">
          {t('home.joined')}
        </p>
      ) : null}
      {user.memberships.length === 0 ? (
        <p>{t('home.noRoles')}</p>
      ) : (
        <>
          <p>{t('home.rolesAt')}</p>
          <MembershipList memberships={user.memberships} />
        </>
      )}
      <div className="panels">
        {roles.map((role) => (
          <RolePanel key={role} role={role} memberships={user.memberships.filter((m) => m.role === role)} teaches={teaches} myCourses={myCourses} />
        ))}
      </div>
    </section>
  );
}
