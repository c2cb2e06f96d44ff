import { useT, type MessageKey } from '../i18n/i18n.js';

const sections = [
  ['', 'studio.lesson.video'],
  ['/text', 'studio.lesson.text'],
  ['/materials', 'studio.lesson.materials'],
  ['/quiz', 'studio.lesson.quiz'],
] as const satisfies readonly (readonly [string, MessageKey])[];

/** Links between a lesson's studio pages, its course and the student preview. */
export function StudioLessonNav({ lessonId, courseId, current }: { lessonId: string; courseId: string; current: (typeof sections)[number][0] }) {
  const t = useT();
  return (
    <nav className="sub-nav" aria-label={t('studio.lesson.nav')}>
      <ul>
        <li>
          <a href={`/studio/courses/${courseId}`}>{t('studio.lesson.backToCourse')}</a>
        </li>
        {sections.map(([suffix, key]) => (
          <li key={key}>
            <a href={`/studio/lessons/${lessonId}${suffix}`} aria-current={suffix === current ? 'page' : undefined}>
              {t(key)}
            </a>
          </li>
        ))}
        <li>
          <a href={`/lessons/${lessonId}`}>{t('studio.lesson.preview')}</a>
        </li>
      </ul>
    </nav>
  );
}
