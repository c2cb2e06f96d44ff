import { parseWithZod } from '@conform-to/zod';
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { requireCsrfForm } from '../features/forms.server.js';
import { formatDateTime, useLocale, useT } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { requireLessonViewer } from '../features/learning/lesson-viewer.server.js';
import { gradeAttempt } from '../features/quizzes/grade-items.js';
import { AttemptList } from '../features/quizzes/AttemptList.js';
import { QuizForm } from '../features/quizzes/QuizForm.js';
import { QuizResults } from '../features/quizzes/QuizResults.js';
import { afterAttemptRecorded, courseGradingPolicy, findLessonQuiz, findOwnAttempt, hasCompletionRecord, isPastDue, listAttempts, submitAttempt } from '../features/quizzes/quiz-taking.server.js';
import { answerField, quizResponseSchema } from '../features/quizzes/response-form.js';
import { itemToAnswer, localised, resultRows } from '../features/quizzes/result-view.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'quiz.summary.title');

async function loadQuiz(request: Request, context: LoaderFunctionArgs['context'], lessonId: string | undefined) {
  const viewer = await requireLessonViewer(request, context, lessonId);
  const found = await findLessonQuiz(viewer.lesson.id);
  if (!found) throw data({ reason: 'not-found' as const }, { status: 404 });
  return { viewer, ...found };
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { viewer, quiz, items } = await loadQuiz(request, context, params.lessonId);
  const { user, lesson, preview } = viewer;
  const attempts = preview ? [] : await listAttempts(quiz.id, user.id);
  const asked = new URL(request.url).searchParams.get('attempt');
  let shown = null;
  if (asked !== null && !preview) {
    const attemptNo = z.coerce.number().int().min(1).max(100).safeParse(asked);
    const attempt = attemptNo.success ? await findOwnAttempt(quiz.id, user.id, attemptNo.data) : null;
    if (!attempt) throw data({ reason: 'not-found' as const }, { status: 404 });
    shown = { attemptNo: attempt.attemptNo, score: attempt.score, maxScore: attempt.maxScore, rows: resultRows(items, attempt.results, attempt.responses) };
  }
  return {
    lesson: { id: lesson.id, titleZh: lesson.titleZh, titleEn: lesson.titleEn, courseTitleZh: lesson.courseTitleZh, courseTitleEn: lesson.courseTitleEn },
    courseSlug: viewer.courseSlug,
    preview,
    quiz: { attemptsAllowed: quiz.attemptsAllowed, dueAt: quiz.dueAt, pastDue: isPastDue(quiz.dueAt) },
    scoring: (await courseGradingPolicy(lesson.courseId)).attemptScoring,
    items: items.map(itemToAnswer),
    attempts,
    shown,
    courseComplete: shown ? await hasCompletionRecord(user.id, lesson.courseId) : false,
  };
}

type Refusal = { kind: 'empty' } | { kind: 'invalid'; errors: Record<string, string[] | null>; given: Record<string, string[]> } | { kind: 'past-due' } | { kind: 'no-attempts-left'; allowed: number } | { kind: 'already-submitted'; lastAttemptNo: number };

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { viewer, quiz, items } = await loadQuiz(request, context, params.lessonId);
  const formData = await requireCsrfForm(request);
  // A quiz without questions offers no form; a forged post must not record an empty attempt.
  if (items.length === 0) return data<Refusal>({ kind: 'empty' }, { status: 409 });
  const submission = parseWithZod(formData, { schema: quizResponseSchema(items) });
  if (submission.status !== 'success') {
    const given = Object.fromEntries(items.map((i) => [answerField(i.id), formData.getAll(answerField(i.id)).filter((v): v is string => typeof v === 'string')]));
    return data<Refusal>({ kind: 'invalid', errors: submission.error ?? {}, given }, { status: 400 });
  }
  const { attemptNo, responses } = submission.value;
  if (viewer.preview) {
    const graded = gradeAttempt(items, responses);
    return { kind: 'preview' as const, score: graded.score, maxScore: graded.maxScore, rows: resultRows(items, graded.results, responses) };
  }
  const outcome = await submitAttempt({ userId: viewer.user.id, courseId: viewer.lesson.courseId, quizId: quiz.id, attemptNo, responses });
  switch (outcome.kind) {
    case 'recorded':
      await afterAttemptRecorded(viewer.user.id, viewer.lesson);
      throw redirect(`/lessons/${viewer.lesson.id}/quiz?attempt=${outcome.attemptNo}`);
    case 'past-due':
      return data<Refusal>({ kind: 'past-due' }, { status: 409 });
    case 'no-attempts-left':
      return data<Refusal>({ kind: 'no-attempts-left', allowed: outcome.attemptsAllowed }, { status: 409 });
    case 'already-submitted':
      return data<Refusal>({ kind: 'already-submitted', lastAttemptNo: outcome.lastAttemptNo }, { status: 409 });
    case 'not-enrolled':
      throw data({ reason: 'forbidden' as const }, { status: 403 });
    case 'no-quiz':
      throw data({ reason: 'not-found' as const }, { status: 404 });
  }
}

export default function QuizPage() {
  const { lesson, courseSlug, preview, quiz, scoring, items, attempts, shown, courseComplete } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  const due = quiz.dueAt ? formatDateTime(locale, new Date(quiz.dueAt)) : null;
  const attemptsLeft = quiz.attemptsAllowed - attempts.length;
  const open = preview || (!quiz.pastDue && attemptsLeft > 0);
  return (
    <article aria-labelledby="quiz-title">
      <p className="muted">
        <a href={`/lessons/${lesson.id}`}>{t('quiz.backToLesson')}</a> · {localised(locale, lesson.courseTitleZh, lesson.courseTitleEn)}
      </p>
      <h1 id="quiz-title">{t('quiz.title', { lesson: localised(locale, lesson.titleZh, lesson.titleEn) })}</h1>
      {preview ? <p className="notice">{t('quiz.preview')}</p> : null}
      <ul className="quiz-facts">
        <li>{t('quiz.facts.items', { count: items.length })}</li>
        {preview ? null : <li>{t('quiz.facts.attempts', { used: attempts.length, allowed: quiz.attemptsAllowed })}</li>}
        <li>{due ? t('quiz.facts.due', { due }) : t('quiz.facts.noDue')}</li>
        <li>{scoring === 'latest' ? t('quiz.scoring.latest') : t('quiz.scoring.best')}</li>
      </ul>
      {result && 'kind' in result && result.kind !== 'preview' ? (
        <p className="notice warn" role="alert">
          {result.kind === 'empty'
            ? t('quiz.empty')
            : result.kind === 'invalid'
            ? t('quiz.errors.notSubmitted')
            : result.kind === 'past-due'
              ? t('quiz.refused.pastDue', { due: due ?? '' })
              : result.kind === 'no-attempts-left'
                ? t('quiz.refused.noAttemptsLeft', { allowed: result.allowed })
                : t('quiz.refused.alreadySubmitted')}
        </p>
      ) : null}
      {courseComplete ? (
        <p className="notice ok" role="status">
          {t('quiz.courseComplete')} <a href={`/courses/${courseSlug}`}>{t('quiz.courseLink')}</a>
        </p>
      ) : null}
      {shown ? (
        <>
          <p className="notice ok" role="status">
            {t('quiz.recorded')}
          </p>
          <QuizResults title={t('quiz.result.title', { attempt: shown.attemptNo })} score={shown.score} maxScore={shown.maxScore} rows={shown.rows} />
        </>
      ) : null}
      {result?.kind === 'preview' ? <QuizResults title={t('quiz.result.previewTitle')} score={result.score} maxScore={result.maxScore} rows={result.rows} /> : null}
      {items.length === 0 ? (
        <p>{t('quiz.empty')}</p>
      ) : open ? (
        <>
          {attempts.length > 0 ? <h2>{t('quiz.again', { attempt: attempts.length + 1, allowed: quiz.attemptsAllowed })}</h2> : null}
          <QuizForm
          items={items}
          attemptNo={attempts.length + 1}
          preview={preview}
          given={result?.kind === 'invalid' ? result.given : undefined}
          errors={result?.kind === 'invalid' ? result.errors : undefined}
          />
        </>
      ) : (
        <p className="notice">{quiz.pastDue ? t('quiz.closed.pastDue', { due: due ?? '' }) : t('quiz.closed.noAttemptsLeft', { allowed: quiz.attemptsAllowed })}</p>
      )}
      {preview ? null : <AttemptList lessonId={lesson.id} attempts={attempts} current={shown?.attemptNo ?? null} />}
    </article>
  );
}
