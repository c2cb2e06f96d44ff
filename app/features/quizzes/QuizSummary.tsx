import { formatDateTime, useLocale, useT } from '../i18n/i18n.js';
import type { QuizSummaryData } from './quiz-taking.server.js';

/**
 * The lesson page's pointer to its quiz: questions, attempts used, due date, the counted
 * score and a link to take (or preview, or review) it. Data from `quizSummaryFor`.
 */
export function QuizSummary({ lessonId, quiz, preview = false }: { lessonId: string; quiz: QuizSummaryData; preview?: boolean }) {
  const t = useT();
  const locale = useLocale();
  const attemptsLeft = quiz.attemptsUsed < quiz.attemptsAllowed && !quiz.pastDue;
  const action = preview ? t('quiz.summary.preview') : !attemptsLeft ? t('quiz.summary.review') : quiz.attemptsUsed > 0 ? t('quiz.summary.again') : t('quiz.summary.take');
  return (
    <section className="panel" aria-labelledby={`quiz-summary-${lessonId}`}>
      <h2 id={`quiz-summary-${lessonId}`}>{t('quiz.summary.title')}</h2>
      <ul>
        <li>{t('quiz.facts.items', { count: quiz.itemCount })}</li>
        {preview ? null : <li>{t('quiz.facts.attempts', { used: quiz.attemptsUsed, allowed: quiz.attemptsAllowed })}</li>}
        <li>{quiz.dueAt ? t('quiz.facts.due', { due: formatDateTime(locale, new Date(quiz.dueAt)) }) : t('quiz.facts.noDue')}</li>
        {quiz.counted ? <li>{t('quiz.summary.counted', { score: quiz.counted.score, max: quiz.counted.maxScore })}</li> : null}
      </ul>
      <p>
        <a className={attemptsLeft || preview ? 'button' : undefined} href={`/lessons/${lessonId}/quiz`}>
          {action}
        </a>
      </p>
    </section>
  );
}
