import { parseWithZod } from '@conform-to/zod';
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { quizItemKinds, type QuizItemKind } from '../../db/schema/courses.js';
import { CsrfInput } from '../components/CsrfInput.js';
import { IntentButton } from '../components/IntentButton.js';
import { TableScroll } from '../components/TableScroll.js';
import { requireCsrfForm } from '../features/forms.server.js';
import { translateError, useLocale, useT, type MessageKey } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { builderSchema, quizItemSchema } from '../features/quizzes/builder-forms.js';
import { toChinaLocal } from '../features/quizzes/china-time.js';
import { ItemEditor, type EditableItem } from '../features/quizzes/ItemEditor.js';
import type { Locale } from '../../db/schema/identity.js';
import { createQuiz, deleteQuiz, findLessonQuiz, loadQuizBuilder, moveQuizItem, regradeQuiz, removeQuizItem, saveQuizItem, updateGradingPolicy, updateQuizSettings } from '../features/quizzes/quiz-builder.server.js';
import { localised } from '../features/quizzes/result-view.js';
import { requireLessonTeacher } from '../features/studio/lesson-access.server.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'quiz.summary.title');

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { lesson } = await requireLessonTeacher(request, context, params.lessonId);
  return { lesson, ...(await loadQuizBuilder(lesson.id, lesson.courseId)) };
}

type Refused = { intent: string; itemId?: string | undefined; kind?: string | undefined; errors: Record<string, string[] | null>; payload: Record<string, unknown> };

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { lesson, user } = await requireLessonTeacher(request, context, params.lessonId);
  const formData = await requireCsrfForm(request);
  const here = `/studio/lessons/${lesson.id}/quiz`;
  const quiz = await findLessonQuiz(lesson.id);
  if (formData.get('intent') === 'save-item') {
    const submission = parseWithZod(formData, { schema: quizItemSchema });
    if (submission.status !== 'success') {
      const payload = submission.payload as Record<string, unknown>;
      return data<Refused>({ intent: 'save-item', itemId: payload.itemId as string | undefined, kind: payload.kind as string | undefined, errors: submission.error ?? {}, payload }, { status: 400 });
    }
    if (!quiz) throw data({ reason: 'not-found' as const }, { status: 404 });
    const saved = await saveQuizItem(quiz.id, submission.value);
    if (saved === 'gone') return data<Refused>({ intent: 'save-item', errors: { '': ['quizBuilder.itemGone'] }, payload: {} }, { status: 404 });
    if (saved === 'stale') {
      // The teacher's draft is shown again in the form, beside the version now stored.
      const payload = submission.payload as Record<string, unknown>;
      return data<Refused>({ intent: 'save-item', itemId: submission.value.itemId, kind: submission.value.kind, errors: { '': ['quizBuilder.staleSave'] }, payload }, { status: 409 });
    }
    throw redirect(`${here}?saved=1`);
  }
  const submission = parseWithZod(formData, { schema: builderSchema });
  if (submission.status !== 'success') {
    return data<Refused>({ intent: String(formData.get('intent') ?? ''), errors: submission.error ?? {}, payload: submission.payload as Record<string, unknown> }, { status: 400 });
  }
  const v = submission.value;
  if (v.intent === 'create') {
    await createQuiz(lesson.id);
    throw redirect(here);
  }
  if (v.intent === 'policy') {
    await updateGradingPolicy(lesson.courseId, { attemptScoring: v.attemptScoring, passGrade: v.passGrade });
    throw redirect(`${here}?saved=1`);
  }
  if (!quiz) throw data({ reason: 'not-found' as const }, { status: 404 });
  switch (v.intent) {
    case 'settings':
      await updateQuizSettings(quiz.id, { attemptsAllowed: v.attemptsAllowed, dueAt: v.dueAt, weight: v.weight });
      throw redirect(`${here}?saved=1`);
    case 'remove-item':
    case 'move-item': {
      const done = v.intent === 'remove-item' ? await removeQuizItem(quiz.id, v.itemId) : await moveQuizItem(quiz.id, v.itemId, v.direction);
      if (!done) return data<Refused>({ intent: v.intent, errors: { '': ['quizBuilder.itemGone'] }, payload: {} }, { status: 404 });
      throw redirect(`${here}?saved=1`);
    }
    case 'regrade': {
      const { regraded, students } = await regradeQuiz(quiz.id, lesson, user.id);
      throw redirect(`${here}?regraded=${regraded}&students=${students}`);
    }
    case 'delete-quiz':
      if ((await deleteQuiz(quiz.id)) === 'has-attempts') return data<Refused>({ intent: 'delete-quiz', errors: { '': ['quizBuilder.deleteRefused'] }, payload: {} }, { status: 409 });
      throw redirect(here);
  }
}

/** The right answer in words, for the list of questions. */
function answerText(item: EditableItem, locale: Locale): string {
  const key = item.answerKey;
  const label = (id: string) => {
    const o = item.options.find((x) => x.id === id);
    return o ? localised(locale, o.labelZh, o.labelEn) : id;
  };
  if (key.kind === 'single') return label(key.optionId);
  if (key.kind === 'multiple') return new Intl.ListFormat(locale).format(key.optionIds.map(label));
  if (key.kind === 'numeric') return key.tolerance ? `${key.value} ± ${key.tolerance}` : String(key.value);
  return key.accepted.join(' / ');
}

function Errors({ id, errors }: { id: string; errors: string[] | null | undefined }) {
  const locale = useLocale();
  if (!errors?.length) return null;
  return (
    <ul className="field-errors" id={id}>
      {errors.map((e) => (
        <li key={e}>{translateError(locale, e)}</li>
      ))}
    </ul>
  );
}

function SettingsForm({ quiz, refused }: { quiz: { attemptsAllowed: number; dueAt: Date | null; weight: string }; refused: Refused | null }) {
  const t = useT();
  const e = refused?.intent === 'settings' ? refused.errors : {};
  const p = refused?.intent === 'settings' ? refused.payload : null;
  const field = (name: string, label: string, value: string, type: 'number' | 'datetime-local' | 'text', hint?: string) => (
    <div className="field">
      <label htmlFor={`settings-${name}`}>{label}</label>
      {hint ? (
        <p className="hint" id={`settings-${name}-hint`}>
          {hint}
        </p>
      ) : null}
      <input
        id={`settings-${name}`}
        name={name}
        type={type}
        defaultValue={p ? String(p[name] ?? '') : value}
        min={type === 'number' ? 1 : undefined}
        max={type === 'number' ? 100 : undefined}
        inputMode={type === 'text' ? 'decimal' : undefined}
        aria-invalid={e[name] ? true : undefined}
        aria-describedby={[hint ? `settings-${name}-hint` : null, e[name] ? `settings-${name}-error` : null].filter(Boolean).join(' ') || undefined}
      />
      <Errors id={`settings-${name}-error`} errors={e[name]} />
    </div>
  );
  return (
    <Form method="post" className="stacked" aria-labelledby="settings-title">
      <h2 id="settings-title">{t('quizBuilder.settings.title')}</h2>
      <CsrfInput />
      <input type="hidden" name="intent" value="settings" />
      {field('attemptsAllowed', t('quizBuilder.settings.attempts'), String(quiz.attemptsAllowed), 'number')}
      {field('dueAt', t('quizBuilder.settings.dueAt'), quiz.dueAt ? toChinaLocal(new Date(quiz.dueAt)) : '', 'datetime-local')}
      {field('weight', t('quizBuilder.settings.weight'), quiz.weight, 'text', t('quizBuilder.settings.weightHint'))}
      <button type="submit" className="button">
        {t('quizBuilder.settings.save')}
      </button>
    </Form>
  );
}

function PolicyForm({ policy, refused }: { policy: { attemptScoring: 'best' | 'latest'; passGrade: string }; refused: Refused | null }) {
  const t = useT();
  const e = refused?.intent === 'policy' ? refused.errors : {};
  return (
    <Form method="post" className="stacked quiz-policy" aria-labelledby="policy-title">
      <h2 id="policy-title">{t('quizBuilder.policy.title')}</h2>
      <p className="hint">{t('quizBuilder.policy.hint')}</p>
      <CsrfInput />
      <input type="hidden" name="intent" value="policy" />
      <fieldset>
        <legend>{t('quizBuilder.policy.scoring')}</legend>
        {(['best', 'latest'] as const).map((s) => (
          <label key={s} className="choice">
            <input type="radio" name="attemptScoring" value={s} defaultChecked={policy.attemptScoring === s} /> {t(`quizBuilder.policy.${s}`)}
          </label>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor="policy-passGrade">{t('quizBuilder.policy.passGrade')}</label>
        <input id="policy-passGrade" name="passGrade" type="text" inputMode="decimal" defaultValue={policy.passGrade} aria-invalid={e.passGrade ? true : undefined} aria-describedby={e.passGrade ? 'policy-passGrade-error' : undefined} />
        <Errors id="policy-passGrade-error" errors={e.passGrade} />
      </div>
      <button type="submit" className="button">
        {t('quizBuilder.policy.save')}
      </button>
    </Form>
  );
}

export default function QuizBuilder() {
  const { lesson, quiz, items, attemptCount, staleAttemptCount, policy, weights } = useLoaderData<typeof loader>();
  const refused = (useActionData<typeof action>() as Refused | undefined) ?? null;
  const [params] = useSearchParams();
  const t = useT();
  const locale = useLocale();
  const adding = quizItemKinds.find((k) => k === (refused?.intent === 'save-item' && !refused.itemId ? refused.kind : params.get('add'))) ?? null;
  const totalWeight = weights.reduce((sum, w) => sum + Number(w.weight), 0);
  const general = refused?.errors[''];
  return (
    <section aria-labelledby="builder-title">
      <p className="muted">
        <a href={`/studio/lessons/${lesson.id}`}>{t('quizBuilder.backToLesson')}</a> · {t('studio.course', { course: localised(locale, lesson.courseTitleZh, lesson.courseTitleEn) })}
      </p>
      <h1 id="builder-title">{t('quizBuilder.title', { lesson: localised(locale, lesson.titleZh, lesson.titleEn) })}</h1>
      {params.get('saved') && !refused ? (
        <p className="notice ok" role="status">
          {t('quizBuilder.saved')}
        </p>
      ) : null}
      {refused ? (
        <p className="notice warn" role="alert">
          {general ? general.map((g) => translateError(locale, g)).join(' ') : t('errors.formInvalid')}
        </p>
      ) : null}
      {!quiz ? (
        <>
          <p>{t('quizBuilder.none')}</p>
          <IntentButton intent="create" fields={{}} label={t('quizBuilder.create')} />
        </>
      ) : (
        <>
          <p>
            <a href={`/lessons/${lesson.id}/quiz`}>{t('quizBuilder.preview')}</a>
          </p>
          {params.get('regraded') !== null && !refused ? (
            <p className="notice ok" role="status">
              {t('quizBuilder.regraded', { count: Number(params.get('regraded')), students: Number(params.get('students') ?? 0) })}
            </p>
          ) : null}
          {attemptCount > 0 ? <p className="notice">{t('quizBuilder.attemptsExist', { count: attemptCount })}</p> : null}
          {staleAttemptCount > 0 ? (
            <div className="notice warn" data-stale-attempts={staleAttemptCount}>
              <p>{t('quizBuilder.stale', { count: staleAttemptCount })}</p>
              <IntentButton intent="regrade" fields={{}} label={t('quizBuilder.regrade', { count: staleAttemptCount })} />
            </div>
          ) : null}
          <div className="panels">
            <div className="panel">
              <SettingsForm quiz={quiz} refused={refused} />
            </div>
            <div className="panel">
              <PolicyForm policy={policy} refused={refused} />
            </div>
          </div>
          <h2 id="weights-title">{t('quizBuilder.weights.title')}</h2>
          <TableScroll label={t('quizBuilder.weights.title')}>
            <table aria-labelledby="weights-title">
              <thead>
                <tr>
                  <th scope="col">{t('quizBuilder.weights.lesson')}</th>
                  <th scope="col">{t('quizBuilder.weights.weight')}</th>
                  <th scope="col">{t('quizBuilder.weights.share')}</th>
                </tr>
              </thead>
              <tbody>
                {weights.map((w) => (
                  <tr key={w.lessonId} aria-current={w.lessonId === lesson.id ? 'true' : undefined}>
                    <td>{w.lessonId === lesson.id ? <strong>{localised(locale, w.titleZh, w.titleEn)}</strong> : <a href={`/studio/lessons/${w.lessonId}/quiz`}>{localised(locale, w.titleZh, w.titleEn)}</a>}</td>
                    <td>{w.weight}</td>
                    <td>{totalWeight > 0 ? `${Math.round((Number(w.weight) / totalWeight) * 1000) / 10}%` : '-'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          <h2>{t('quizBuilder.items.title')}</h2>
          {items.length === 0 ? <p>{t('quizBuilder.items.none')}</p> : null}
          <ol className="builder-items">
            {items.map((item, i) => {
              const mine = refused?.intent === 'save-item' && refused.itemId === item.id ? refused : null;
              return (
                <li key={item.id} id={`item-${item.id}`} className="panel">
                  <h3>{t('quizBuilder.item.heading', { n: i + 1, kind: t(`quiz.kind.${item.kind}` as MessageKey) })}</h3>
                  <p>{localised(locale, item.promptZh, item.promptEn)}</p>
                  <p className="muted">
                    {t('quizBuilder.item.answer', { answer: answerText(item, locale) })} · {t('quizBuilder.item.pointsValue', { points: item.points })}
                  </p>
                  <div className="row-form">
                    {i > 0 ? <IntentButton intent="move-item" fields={{ itemId: item.id, direction: 'up' }} label={t('quizBuilder.item.moveUp', { n: i + 1 })} inline /> : null}
                    {i < items.length - 1 ? <IntentButton intent="move-item" fields={{ itemId: item.id, direction: 'down' }} label={t('quizBuilder.item.moveDown', { n: i + 1 })} inline /> : null}
                    <IntentButton intent="remove-item" fields={{ itemId: item.id }} label={t('quizBuilder.item.remove', { n: i + 1 })} inline />
                  </div>
                  <details open={mine ? true : undefined}>
                    <summary>{t('quizBuilder.item.edit', { n: i + 1 })}</summary>
                    <ItemEditor kind={item.kind} item={item} n={i + 1} payload={mine?.payload} errors={mine?.errors} />
                  </details>
                </li>
              );
            })}
          </ol>
          <h2 id="add-title">{t('quizBuilder.add.title')}</h2>
          {adding ? (
            <div className="panel">
              <h3>{t('quizBuilder.item.newHeading', { kind: t(`quiz.kind.${adding}`) })}</h3>
              <ItemEditor kind={adding} n={null} payload={refused?.intent === 'save-item' && !refused.itemId ? refused.payload : undefined} errors={refused?.intent === 'save-item' && !refused.itemId ? refused.errors : undefined} />
            </div>
          ) : null}
          <ul aria-labelledby="add-title">
            {quizItemKinds.map((k: QuizItemKind) => (
              <li key={k}>
                <a href={`/studio/lessons/${lesson.id}/quiz?add=${k}#add-title`}>{t(`quizBuilder.add.${k}`)}</a>
              </li>
            ))}
          </ul>
          <h2>{t('quizBuilder.delete')}</h2>
          <p className="hint">{t('quizBuilder.deleteHint')}</p>
          <IntentButton intent="delete-quiz" fields={{}} label={t('quizBuilder.delete')} />
        </>
      )}
    </section>
  );
}
