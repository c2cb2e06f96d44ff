import { Form } from '@remix-run/react';
import type { QuizAnswerKey, QuizItemKind, QuizOption } from '../../../db/schema/courses.js';
import { CsrfInput } from '../../components/CsrfInput.js';
import { translateError, useLocale, useT } from '../i18n/i18n.js';
import { MAX_OPTION_LABEL, MAX_OPTIONS, MAX_PROMPT } from './builder-forms.js';

export type EditableItem = {
  id: string;
  kind: QuizItemKind;
  promptZh: string;
  promptEn: string | null;
  points: string;
  feedbackZh: string;
  feedbackEn: string | null;
  options: QuizOption[];
  answerKey: QuizAnswerKey;
  version: number;
};

/** What the teacher sent when the save was refused, to fill the form again (conform's payload). */
type Payload = Record<string, unknown> & { options?: { id?: string; labelZh?: string; labelEn?: string }[]; correct?: string | string[] };
type Errors = Record<string, string[] | null>;

function FieldErrors({ id, errors }: { id: string; errors: string[] | null | undefined }) {
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

function TextField(props: { id: string; name: string; label: string; value: string; errors?: string[] | null | undefined; multiline?: boolean; required?: boolean; max?: number; hint?: string; inputMode?: 'decimal' }) {
  const { id, name, label, value, errors, multiline, required, max, hint, inputMode } = props;
  const describedBy = [hint ? `${id}-hint` : null, errors?.length ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  const common = { id, name, defaultValue: value, required, maxLength: max, 'aria-invalid': errors?.length ? true : undefined, 'aria-describedby': describedBy };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {multiline ? <textarea rows={3} {...common} /> : <input type="text" inputMode={inputMode} {...common} />}
      <FieldErrors id={`${id}-error`} errors={errors} />
    </div>
  );
}

/** The form for one question of any kind; `item` absent means a new question of `kind`. */
export function ItemEditor({ kind, item, n, payload, errors = {} }: { kind: QuizItemKind; item?: EditableItem; n: number | null; payload?: Payload | undefined; errors?: Errors }) {
  const t = useT();
  const p = payload ?? {};
  const key = `item-${item?.id ?? `new-${kind}`}`;
  const val = (name: string, stored: string | null | undefined) => (typeof p[name] === 'string' ? (p[name] as string) : payload ? '' : (stored ?? ''));
  const storedRows = item?.options ?? [];
  const rowCount = Math.min(MAX_OPTIONS, Math.max(4, (payload?.options?.length ?? storedRows.length) + 2));
  const rows = Array.from({ length: rowCount }, (_, i) => (payload ? payload.options?.[i] : storedRows[i]) ?? {});
  const storedCorrect = item?.answerKey.kind === 'single' ? [item.answerKey.optionId] : item?.answerKey.kind === 'multiple' ? item.answerKey.optionIds : [];
  const tickedRows = payload ? [p.correct ?? []].flat().map(Number) : rows.flatMap((r, i) => ('id' in r && r.id && storedCorrect.includes(r.id) ? [i] : []));
  const numeric = item?.answerKey.kind === 'numeric' ? item.answerKey : null;
  const accepted = item?.answerKey.kind === 'text' ? item.answerKey.accepted.join('\n') : '';
  return (
    <Form method="post" className="item-editor">
      <CsrfInput />
      <input type="hidden" name="intent" value="save-item" />
      <input type="hidden" name="kind" value={kind} />
      {item ? <input type="hidden" name="itemId" value={item.id} /> : null}
      {/* Always the stored version: after a refused stale save, saving the draft again replaces what is stored. */}
      {item ? <input type="hidden" name="version" value={item.version} /> : null}
      <TextField id={`${key}-promptZh`} name="promptZh" label={t('quizBuilder.item.promptZh')} value={val('promptZh', item?.promptZh)} errors={errors.promptZh} multiline required max={MAX_PROMPT} />
      <TextField id={`${key}-promptEn`} name="promptEn" label={t('quizBuilder.item.promptEn')} value={val('promptEn', item?.promptEn)} errors={errors.promptEn} multiline max={MAX_PROMPT} />
      <TextField id={`${key}-points`} name="points" label={t('quizBuilder.item.points')} value={val('points', item?.points ?? '1')} errors={errors.points} required inputMode="decimal" />
      {kind === 'single' || kind === 'multiple' ? (
        <fieldset aria-describedby={`${key}-options-hint${errors.options || errors.correct ? ` ${key}-options-error` : ''}`}>
          <legend>{t('quizBuilder.item.options')}</legend>
          <p className="hint" id={`${key}-options-hint`}>
            {t('quizBuilder.item.optionsHint', { max: MAX_OPTIONS })}
          </p>
          <FieldErrors id={`${key}-options-error`} errors={[...(errors.options ?? []), ...(errors.correct ?? [])]} />
          {rows.map((row, i) => (
            <div key={i} className="option-row">
              {'id' in row && row.id ? <input type="hidden" name={`options[${i}].id`} value={row.id} /> : null}
              <label className="option-correct">
                <input type={kind === 'single' ? 'radio' : 'checkbox'} name="correct" value={i} defaultChecked={tickedRows.includes(i)} /> {t('quizBuilder.item.correct', { n: i + 1 })}
              </label>
              <TextField id={`${key}-o${i}-zh`} name={`options[${i}].labelZh`} label={t('quizBuilder.item.optionZh', { n: i + 1 })} value={row.labelZh ?? ''} max={MAX_OPTION_LABEL} />
              <TextField id={`${key}-o${i}-en`} name={`options[${i}].labelEn`} label={t('quizBuilder.item.optionEn', { n: i + 1 })} value={row.labelEn ?? ''} max={MAX_OPTION_LABEL} />
            </div>
          ))}
        </fieldset>
      ) : null}
      {kind === 'numeric' ? (
        <>
          <TextField id={`${key}-answerValue`} name="answerValue" label={t('quizBuilder.item.answerValue')} value={val('answerValue', numeric ? String(numeric.value) : '')} errors={errors.answerValue} required inputMode="decimal" />
          <TextField id={`${key}-tolerance`} name="tolerance" label={t('quizBuilder.item.tolerance')} value={val('tolerance', numeric ? String(numeric.tolerance) : '')} errors={errors.tolerance} inputMode="decimal" />
        </>
      ) : null}
      {kind === 'text' ? (
        <TextField id={`${key}-accepted`} name="accepted" label={t('quizBuilder.item.accepted')} hint={t('quizBuilder.item.acceptedHint')} value={val('accepted', accepted)} errors={errors.accepted} multiline required />
      ) : null}
      <TextField id={`${key}-feedbackZh`} name="feedbackZh" label={t('quizBuilder.item.feedbackZh')} value={val('feedbackZh', item?.feedbackZh)} errors={errors.feedbackZh} multiline max={MAX_PROMPT} />
      <TextField id={`${key}-feedbackEn`} name="feedbackEn" label={t('quizBuilder.item.feedbackEn')} value={val('feedbackEn', item?.feedbackEn)} errors={errors.feedbackEn} multiline max={MAX_PROMPT} />
      <button type="submit" className="button">
        {n === null ? t('quizBuilder.item.saveNew') : t('quizBuilder.item.save', { n })}
      </button>
    </Form>
  );
}
