import { useFetcher } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { CsrfInput } from '../../components/CsrfInput.js';
import { useT } from '../i18n/i18n.js';
import { CommandForm } from './SessionForms.js';
import type { SessionView } from './session-view.js';

/** A random key naming one question, so a resent form is stored once (works on plain-HTTP school LANs too). */
function newClientKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('');
}

export function HandPanel({ view, classroomId }: { view: SessionView; classroomId: string }) {
  const t = useT();
  const raised = view.hands.includes(classroomId);
  return (
    <CommandForm intent="hand" fields={{ classroom: classroomId, raised: raised ? '0' : '1' }}>
      <button type="submit" className={raised ? 'button' : 'button secondary'} aria-pressed={raised}>
        {raised ? t('classroom.hand.lower') : t('classroom.hand.raise')}
      </button>
    </CommandForm>
  );
}

export function AskPanel({ view, classroomId, clientKey }: { view: SessionView; classroomId: string; clientKey: string }) {
  const t = useT();
  const fetcher = useFetcher<{ ok: boolean }>();
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (fetcher.state === 'idle' && fetcher.data?.ok) form.current?.reset();
  }, [fetcher.state, fetcher.data]);
  return (
    <section className="panel" aria-labelledby="ask-title">
      <h2 id="ask-title">{t('classroom.questions.title')}</h2>
      <fetcher.Form
        method="post"
        ref={form}
        className="stacked"
        onSubmit={(e) => {
          (e.currentTarget.elements.namedItem('clientKey') as HTMLInputElement).value = newClientKey();
        }}
      >
        <CsrfInput />
        <input type="hidden" name="intent" value="ask" />
        <input type="hidden" name="classroom" value={classroomId} />
        <input type="hidden" name="clientKey" defaultValue={clientKey} />
        <div className="field">
          <label htmlFor="question-body">{t('classroom.questions.ask')}</label>
          <textarea id="question-body" name="body" rows={2} required maxLength={500} />
        </div>
        <button type="submit" className="button">{t('classroom.questions.send')}</button>
      </fetcher.Form>
      <ul className="plain-list" aria-live="polite">
        {view.questions.map((q) => (
          <li key={q.id}>
            {q.body} <span className={q.answered ? 'pill ok' : 'pill'}>{q.answered ? t('classroom.questions.answered') : t('classroom.questions.open')}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function PollAnswerPanel({ view, classroomId }: { view: SessionView; classroomId: string }) {
  const t = useT();
  const poll = view.poll;
  if (!poll) return null;
  return (
    <section className="panel" aria-labelledby="poll-answer-title" aria-live="polite">
      <h2 id="poll-answer-title">
        {t('classroom.poll.title')}: {poll.question}
      </h2>
      {poll.closed ? (
        <p>{t('classroom.poll.closed')}</p>
      ) : (
        <CommandForm intent="poll-answer" fields={{ classroom: classroomId, pollId: poll.id }} className="row-form">
          {poll.options.map((o, i) => (
            <div className="field" key={`${poll.id}-${i}`}>
              <label htmlFor={`poll-count-${i}`}>{t('classroom.poll.howMany', { option: o })}</label>
              <input id={`poll-count-${i}`} name={`counts[${i}]`} type="number" min={0} max={500} defaultValue={poll.mine?.[i] ?? 0} required />
            </div>
          ))}
          <button type="submit" className="button">{t('classroom.poll.answer')}</button>
        </CommandForm>
      )}
      <p className="muted">{poll.options.map((o, i) => `${o}: ${poll.tallies[i] ?? 0}`).join(' · ')}</p>
    </section>
  );
}

export function AttendancePanel({ view, classroomId, roster }: { view: SessionView; classroomId: string; roster: { id: string; displayName: string }[] }) {
  const t = useT();
  const mine = view.attendance.find((a) => a.classroomId === classroomId);
  return (
    <section className="panel" aria-labelledby="attendance-title">
      <h2 id="attendance-title">{t('classroom.attendance.title')}</h2>
      {mine ? (
        <p className="notice ok" role="status">
          {t('classroom.attendance.recorded', { count: mine.headcount })}
        </p>
      ) : null}
      {roster.length ? (
        <CommandForm intent="attendance" fields={{ classroom: classroomId, mode: 'roster' }} className="stacked">
          <fieldset className="field">
            <legend>{t('classroom.attendance.roster')}</legend>
            {roster.map((p) => (
              <label key={p.id} className="check">
                <input type="checkbox" name="pupilIds" value={p.id} defaultChecked={mine?.presentPupilIds.includes(p.id)} /> {p.displayName}
              </label>
            ))}
          </fieldset>
          <button type="submit" className="button secondary">{t('classroom.attendance.save')}</button>
        </CommandForm>
      ) : null}
      <CommandForm intent="attendance" fields={{ classroom: classroomId, mode: 'headcount' }} className="row-form">
        <div className="field">
          <label htmlFor="headcount">{roster.length ? t('classroom.attendance.headcount') : t('classroom.attendance.count')}</label>
          <input id="headcount" name="headcount" type="number" min={0} max={500} defaultValue={mine?.headcount} required />
        </div>
        <button type="submit" className="button secondary">{t('classroom.attendance.save')}</button>
      </CommandForm>
    </section>
  );
}
