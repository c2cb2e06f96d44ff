import { Form } from '@remix-run/react';
import { pick } from '../../components/catalog/labels.js';
import { CsrfInput } from '../../components/CsrfInput.js';
import { useLocale, useT } from '../i18n/i18n.js';

type LessonRow = { id: string; titleZh: string; titleEn: string | null; draft: boolean };
type ModuleRow = { id: string; titleZh: string; titleEn: string | null; lessons: LessonRow[] };

function MoveButtons({ intent, idName, id, upLabel, downLabel }: { intent: string; idName: string; id: string; upLabel: string; downLabel: string }) {
  const t = useT();
  return (
    <span className="move-buttons">
      {(['up', 'down'] as const).map((direction) => (
        <Form key={direction} method="post" className="inline-form">
          <CsrfInput />
          <input type="hidden" name="intent" value={intent} />
          <input type="hidden" name={idName} value={id} />
          <input type="hidden" name="direction" value={direction} />
          <button type="submit" className="button secondary small" aria-label={direction === 'up' ? upLabel : downLabel}>
            {t(direction === 'up' ? 'studio.move.up' : 'studio.move.down')}
          </button>
        </Form>
      ))}
    </span>
  );
}

function TitlesForm({ intent, hidden, zh, en, submit, idPrefix }: { intent: string; hidden: Record<string, string>; zh?: string; en?: string | null; submit: string; idPrefix: string }) {
  const t = useT();
  return (
    <Form method="post" className="row-form">
      <CsrfInput />
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(hidden).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <div className="field">
        <label htmlFor={`${idPrefix}-zh`}>{t('studio.field.titleZh')}</label>
        <input id={`${idPrefix}-zh`} name="titleZh" defaultValue={zh} required maxLength={120} />
      </div>
      <div className="field">
        <label htmlFor={`${idPrefix}-en`}>{t('studio.field.titleEn')}</label>
        <input id={`${idPrefix}-en`} name="titleEn" defaultValue={en ?? ''} maxLength={200} lang="en" />
      </div>
      <button type="submit" className="button secondary">
        {submit}
      </button>
    </Form>
  );
}

function LessonItem({ lesson, n }: { lesson: LessonRow; n: number }) {
  const t = useT();
  const locale = useLocale();
  const title = pick(locale, lesson.titleZh, lesson.titleEn);
  return (
    <li id={`lesson-${lesson.id}`} className="outline-lesson" data-lesson-id={lesson.id}>
      <div className="outline-row">
        <span className="outline-title">
          {n}. {title}
          {lesson.draft ? <span className="badge draft">{t('studio.lesson.draftBadge')}</span> : null}
        </span>
        <MoveButtons intent="move-lesson" idName="lessonId" id={lesson.id} upLabel={t('studio.lesson.moveUp', { title })} downLabel={t('studio.lesson.moveDown', { title })} />
      </div>
      <p className="outline-links">
        <a href={`/studio/lessons/${lesson.id}`}>{t('studio.lesson.video')}</a> · <a href={`/studio/lessons/${lesson.id}/text`}>{t('studio.lesson.text')}</a> ·{' '}
        <a href={`/studio/lessons/${lesson.id}/materials`}>{t('studio.lesson.materials')}</a> · <a href={`/studio/lessons/${lesson.id}/quiz`}>{t('studio.lesson.quiz')}</a> ·{' '}
        <a href={`/lessons/${lesson.id}`}>{t('studio.lesson.preview')}</a>
      </p>
      {lesson.draft ? <p className="hint">{t('studio.lesson.draftHint')}</p> : null}
      <Form method="post" className="inline-form">
        <CsrfInput />
        <input type="hidden" name="intent" value={lesson.draft ? 'publish-lesson' : 'draft-lesson'} />
        <input type="hidden" name="lessonId" value={lesson.id} />
        <button type="submit" className={lesson.draft ? 'button small' : 'button secondary small'}>
          {t(lesson.draft ? 'studio.lesson.publish' : 'studio.lesson.toDraft', { title })}
        </button>
      </Form>
      <details>
        <summary>{t('studio.lesson.rename')}</summary>
        <TitlesForm intent="rename-lesson" hidden={{ lessonId: lesson.id }} zh={lesson.titleZh} en={lesson.titleEn} submit={t('common.save')} idPrefix={`rl-${lesson.id}`} />
      </details>
      <details>
        <summary>{t('studio.lesson.delete')}</summary>
        <p className="notice warn">{t('studio.lesson.deleteWarning')}</p>
        <Form method="post">
          <CsrfInput />
          <input type="hidden" name="intent" value="delete-lesson" />
          <input type="hidden" name="lessonId" value={lesson.id} />
          <button type="submit" className="button danger">
            {t('studio.lesson.deleteConfirm', { title })}
          </button>
        </Form>
      </details>
    </li>
  );
}

/** Modules and lessons with keyboard-operable move buttons (plain forms: no JavaScript needed). */
export function CourseOutlineEditor({ modules, looseLessons }: { modules: ModuleRow[]; looseLessons: LessonRow[] }) {
  const t = useT();
  const locale = useLocale();
  let n = 0;
  return (
    <>
      <p className="hint">{t('studio.editor.structureHint')}</p>
      {modules.length === 0 ? <p>{t('studio.module.none')}</p> : null}
      <ol className="outline">
        {modules.map((m, i) => {
          const title = pick(locale, m.titleZh, m.titleEn);
          return (
            <li key={m.id} id={`module-${m.id}`} className="panel outline-module">
              <div className="outline-row">
                <h3>{t('studio.module.heading', { n: i + 1, title })}</h3>
                <MoveButtons intent="move-module" idName="moduleId" id={m.id} upLabel={t('studio.module.moveUp', { title })} downLabel={t('studio.module.moveDown', { title })} />
              </div>
              {m.lessons.length === 0 ? <p className="muted">{t('studio.module.empty')}</p> : null}
              <ol className="outline-lessons">
                {m.lessons.map((l) => (
                  <LessonItem key={l.id} lesson={l} n={++n} />
                ))}
              </ol>
              <details>
                <summary>{t('studio.lesson.add')}</summary>
                <TitlesForm intent="add-lesson" hidden={{ moduleId: m.id }} submit={t('studio.lesson.add')} idPrefix={`al-${m.id}`} />
              </details>
              <details>
                <summary>{t('studio.module.rename')}</summary>
                <TitlesForm intent="rename-module" hidden={{ moduleId: m.id }} zh={m.titleZh} en={m.titleEn} submit={t('common.save')} idPrefix={`rm-${m.id}`} />
              </details>
              {m.lessons.length === 0 ? (
                <Form method="post">
                  <CsrfInput />
                  <input type="hidden" name="intent" value="delete-module" />
                  <input type="hidden" name="moduleId" value={m.id} />
                  <button type="submit" className="link-button">
                    {t('studio.module.delete')}
                  </button>
                </Form>
              ) : null}
            </li>
          );
        })}
      </ol>
      {looseLessons.length > 0 ? (
        <section className="panel" aria-labelledby="loose-title">
          <h3 id="loose-title">{t('studio.loose')}</h3>
          <ol className="outline-lessons">
            {looseLessons.map((l) => (
              <LessonItem key={l.id} lesson={l} n={++n} />
            ))}
          </ol>
        </section>
      ) : null}
      <h3 id="add-module-title">{t('studio.module.add')}</h3>
      <TitlesForm intent="add-module" hidden={{}} submit={t('studio.module.add')} idPrefix="new-module" />
    </>
  );
}
