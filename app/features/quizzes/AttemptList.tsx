import { TableScroll } from '../../components/TableScroll.js';
import { formatDateTime, useLocale, useT } from '../i18n/i18n.js';
import { percentOf } from './result-view.js';

type Attempt = { attemptNo: number; score: string; maxScore: string; submittedAt: Date };

/** The student's own attempts, each kept as submitted, with a link to its results. */
export function AttemptList({ lessonId, attempts, current }: { lessonId: string; attempts: Attempt[]; current: number | null }) {
  const t = useT();
  const locale = useLocale();
  return (
    <section aria-labelledby="quiz-attempts-title">
      <h2 id="quiz-attempts-title">{t('quiz.attempts.title')}</h2>
      {attempts.length === 0 ? (
        <p>{t('quiz.attempts.none')}</p>
      ) : (
        <TableScroll label={t('quiz.attempts.title')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('quiz.attempts.number')}</th>
                <th scope="col">{t('quiz.attempts.submittedAt')}</th>
                <th scope="col">{t('quiz.attempts.score')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {attempts.map((a) => (
                <tr key={a.attemptNo}>
                  <td>{a.attemptNo}</td>
                  <td>{formatDateTime(locale, new Date(a.submittedAt))}</td>
                  <td>
                    {a.score} / {a.maxScore} ({percentOf(a.score, a.maxScore)}%)
                  </td>
                  <td>
                    <a href={`/lessons/${lessonId}/quiz?attempt=${a.attemptNo}`} aria-current={current === a.attemptNo ? 'page' : undefined}>
                      {t('quiz.attempts.view', { attempt: a.attemptNo })}
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}
