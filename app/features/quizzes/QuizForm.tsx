import { Form } from '@remix-run/react';
import { CsrfInput } from '../../components/CsrfInput.js';
import { translateError, useLocale, useT } from '../i18n/i18n.js';
import { answerField, MAX_TEXT_ANSWER } from './response-form.js';
import { localised, type ItemToAnswer } from './result-view.js';

type Props = {
  items: ItemToAnswer[];
  attemptNo: number;
  preview: boolean;
  /** What the student sent last time, to fill the form again after a refusal. */
  given?: Record<string, string[]> | undefined;
  errors?: Record<string, string[] | null> | undefined;
};

/** One fieldset per question, its prompt as the legend; works without JavaScript. */
export function QuizForm({ items, attemptNo, preview, given = {}, errors = {} }: Props) {
  const t = useT();
  return (
    <Form method="post" className="quiz-form" noValidate>
      <CsrfInput />
      <input type="hidden" name="attemptNo" value={attemptNo} />
      <ol className="quiz-items">
        {items.map((item, i) => (
          <li key={item.id}>
            <QuizItemFieldset item={item} n={i + 1} given={given[answerField(item.id)] ?? []} errors={errors[answerField(item.id)] ?? null} />
          </li>
        ))}
      </ol>
      <button type="submit" className="button">
        {preview ? t('quiz.submitPreview') : t('quiz.submit', { attempt: attemptNo })}
      </button>
    </Form>
  );
}

function QuizItemFieldset({ item, n, given, errors }: { item: ItemToAnswer; n: number; given: string[]; errors: string[] | null }) {
  const t = useT();
  const locale = useLocale();
  const name = answerField(item.id);
  const hintId = `${name}-hint`;
  const errorId = `${name}-error`;
  const describedBy = [item.kind === 'single' || item.kind === 'multiple' ? hintId : null, errors ? errorId : null].filter(Boolean).join(' ') || undefined;
  const hint = { single: t('quiz.single.hint'), multiple: t('quiz.multiple.hint'), numeric: t('quiz.numeric.hint'), text: null }[item.kind];
  return (
    <fieldset className="quiz-item" aria-describedby={describedBy}>
      <legend>
        <span className="quiz-number">{t('quiz.question', { n, points: item.points.replace(/\.00$/, '') })}</span> {localised(locale, item.promptZh, item.promptEn)}
      </legend>
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {item.kind === 'single' || item.kind === 'multiple' ? (
        <ul className="quiz-options">
          {item.options.map((o) => (
            <li key={o.id}>
              <label>
                <input type={item.kind === 'single' ? 'radio' : 'checkbox'} name={name} value={o.id} defaultChecked={given.includes(o.id)} /> {localised(locale, o.labelZh, o.labelEn)}
              </label>
            </li>
          ))}
        </ul>
      ) : (
        <div className="field">
          <label htmlFor={name}>{item.kind === 'numeric' ? t('quiz.numeric.label') : t('quiz.text.label')}</label>
          <input
            id={name}
            name={name}
            type="text"
            inputMode={item.kind === 'numeric' ? 'decimal' : undefined}
            maxLength={item.kind === 'numeric' ? 50 : MAX_TEXT_ANSWER}
            autoComplete="off"
            defaultValue={given[0] ?? ''}
            aria-invalid={errors ? true : undefined}
            aria-describedby={[item.kind === 'numeric' ? hintId : null, errors ? errorId : null].filter(Boolean).join(' ') || undefined}
          />
        </div>
      )}
      {errors ? (
        <ul className="field-errors" id={errorId}>
          {errors.map((e) => (
            <li key={e}>{translateError(locale, e)}</li>
          ))}
        </ul>
      ) : null}
    </fieldset>
  );
}
