import { useLocale, useT } from '../i18n/i18n.js';
import { localised, percentOf, type ResultRow } from './result-view.js';

/** Score and per-question feedback after a submission (or a teacher's preview). */
export function QuizResults({ title, score, maxScore, rows }: { title: string; score: string; maxScore: string; rows: ResultRow[] }) {
  const t = useT();
  const locale = useLocale();
  const list = new Intl.ListFormat(locale, { type: 'conjunction' });
  return (
    <section className="panel quiz-results" aria-labelledby="quiz-results-title">
      <h2 id="quiz-results-title">{title}</h2>
      <p className="quiz-score">{t('quiz.result.score', { score, max: maxScore, percent: percentOf(score, maxScore) })}</p>
      <ol className="quiz-items">
        {rows.map((row) => (
          <li key={row.item.id} className={row.correct ? 'quiz-result correct' : 'quiz-result incorrect'}>
            <p>
              <strong>{localised(locale, row.item.promptZh, row.item.promptEn)}</strong>
            </p>
            <p>
              <span className="quiz-verdict">{row.correct ? `✓ ${t('quiz.result.correct')}` : `✗ ${t('quiz.result.incorrect')}`}</span> ·{' '}
              {t('quiz.result.points', { points: row.points, max: row.maxPoints })}
            </p>
            <p>{t('quiz.result.yourAnswer', { answer: row.answer.length ? list.format(row.answer.map((a) => localised(locale, a.zh, a.en))) : t('quiz.result.noAnswer') })}</p>
            {row.feedbackZh || row.feedbackEn ? <p className="quiz-feedback">{t('quiz.result.feedback', { feedback: localised(locale, row.feedbackZh, row.feedbackEn) })}</p> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
