import { TableScroll } from '../../components/TableScroll.js';
import { useLocale, useT } from '../i18n/i18n.js';
import { localName } from './names.js';
import { positionAt } from './playback-state.js';
import { CommandForm } from './SessionForms.js';
import { slideCount, type SessionView } from './session-view.js';
import type { ServerClock } from './useServerClock.js';

type Room = { id: string; nameZh: string; nameEn: string | null };

export function PlaybackControls({ view, clock, duration }: { view: SessionView; clock: ServerClock | null; duration: number | null }) {
  const t = useT();
  const here = () => positionAt(view.state, clock ? clock.now() : Date.now());
  const jump = (delta: number) => (e: React.FormEvent<HTMLFormElement>) => {
    const input = e.currentTarget.elements.namedItem('position') as HTMLInputElement;
    input.value = String(Math.max(0, Math.round((here() + delta) * 10) / 10));
  };
  const slides = slideCount(view);
  return (
    <section className="panel" aria-labelledby="playback-title">
      <h2 id="playback-title">{t('classroom.playback')}</h2>
      <div className="row-form">
        {view.status === 'scheduled' ? (
          <CommandForm intent="start">
            <button type="submit" className="button">{t('classroom.start')}</button>
          </CommandForm>
        ) : null}
        <CommandForm intent={view.state.playing ? 'pause' : 'play'}>
          <button type="submit" className="button" disabled={view.status === 'ended'}>
            {view.state.playing ? t('classroom.pause') : t('classroom.play')}
          </button>
        </CommandForm>
        <CommandForm intent="seek" fields={{ position: String(Math.max(0, here() - 10)) }} onSubmit={jump(-10)}>
          <button type="submit" className="button secondary">−10 s</button>
        </CommandForm>
        <CommandForm intent="seek" fields={{ position: String(here() + 10) }} onSubmit={jump(10)}>
          <button type="submit" className="button secondary">+10 s</button>
        </CommandForm>
      </div>
      <CommandForm intent="seek" className="row-form">
        <div className="field">
          <label htmlFor="seek-to">{t('classroom.seek')}</label>
          <input id="seek-to" name="position" type="number" min={0} max={duration ?? undefined} step="0.1" required />
        </div>
        <button type="submit" className="button secondary">{t('classroom.seekSubmit')}</button>
      </CommandForm>
      {slides ? (
        <div className="row-form">
          <CommandForm intent="slide" fields={{ slide: String(Math.max(0, view.state.slide - 1)) }}>
            <button type="submit" className="button secondary" disabled={view.state.slide === 0}>{t('classroom.slidePrev')}</button>
          </CommandForm>
          <CommandForm intent="slide" fields={{ slide: String(Math.min(slides - 1, view.state.slide + 1)) }}>
            <button type="submit" className="button secondary" disabled={view.state.slide >= slides - 1}>{t('classroom.slideNext')}</button>
          </CommandForm>
        </div>
      ) : null}
      <CommandForm intent="wait" fields={{ on: view.waitForBuffering ? '0' : '1' }}>
        <button type="submit" className="link-button" aria-describedby="wait-hint">
          {view.waitForBuffering ? t('classroom.wait.on') : t('classroom.wait.off')}
        </button>
      </CommandForm>
      <p className="hint" id="wait-hint">{t('classroom.wait.hint')}</p>
      {view.status !== 'ended' ? (
        <CommandForm intent="end">
          <button type="submit" className="button danger">{t('classroom.end')}</button>
        </CommandForm>
      ) : null}
    </section>
  );
}

export function SlidePanel({ view }: { view: SessionView }) {
  const t = useT();
  if (!view.slides.length) return null;
  return (
    <section className="panel slide" aria-labelledby="slide-title" aria-live="polite">
      <h2 id="slide-title">{t('classroom.slide', { n: view.state.slide + 1, total: view.slides.length })}</h2>
      <p className="slide-text">{view.slides[view.state.slide]}</p>
    </section>
  );
}

export function WaitingNotice({ view, rooms }: { view: SessionView; rooms: Room[] }) {
  const t = useT();
  const locale = useLocale();
  if (!view.state.waitingFor.length) return null;
  const names = view.state.waitingFor.map((id) => rooms.find((r) => r.id === id)).map((r) => (r ? localName(locale, r.nameZh, r.nameEn) : '?'));
  return (
    <p className="notice warn" role="status">
      {t('classroom.waitingFor', { classrooms: names.join(', ') })}
    </p>
  );
}

export function RoomsPanel({ view, rooms }: { view: SessionView; rooms: Room[] }) {
  const t = useT();
  const locale = useLocale();
  const num = (v: number | null | undefined, key: 'classroom.ms' | 'classroom.seconds') => (v === null || v === undefined ? '—' : t(key, { n: v }));
  return (
    <section className="panel" aria-labelledby="rooms-title">
      <h2 id="rooms-title">{t('classroom.rooms.title')}</h2>
      <TableScroll label={t('classroom.rooms.title')}>
        <table data-testid="connection-panel">
          <thead>
            <tr>
              <th scope="col">{t('classroom.rooms.classroom')}</th>
              <th scope="col">{t('classroom.rooms.hand')}</th>
              <th scope="col">{t('classroom.rooms.attendance')}</th>
              <th scope="col">{t('classroom.rooms.rtt')}</th>
              <th scope="col">{t('classroom.rooms.buffer')}</th>
              <th scope="col">{t('classroom.rooms.rung')}</th>
              <th scope="col">{t('classroom.rooms.drift')}</th>
              <th scope="col">{t('classroom.rooms.lastSeen')}</th>
            </tr>
          </thead>
          <tbody>
            {rooms.map((r) => {
              const c = view.connections.find((x) => x.classroomId === r.id);
              const a = view.attendance.find((x) => x.classroomId === r.id);
              const hand = view.hands.includes(r.id);
              return (
                <tr key={r.id} data-classroom={r.id}>
                  <th scope="row">{localName(locale, r.nameZh, r.nameEn)}</th>
                  <td>
                    {hand ? (
                      <CommandForm intent="hand-lower" fields={{ classroomId: r.id }}>
                        {t('classroom.hand.raised')} <button type="submit" className="link-button">{t('classroom.hand.lower')}</button>
                      </CommandForm>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td>{a ? a.headcount : '—'}</td>
                  <td>{num(c?.rttMs !== null && c?.rttMs !== undefined ? Math.round(c.rttMs) : null, 'classroom.ms')}</td>
                  <td>{c?.buffering ? t('classroom.rooms.buffering') : num(c?.bufferSeconds, 'classroom.seconds')}</td>
                  <td>{c?.rung ?? '—'}</td>
                  <td>{num(c?.driftMs, 'classroom.ms')}</td>
                  <td>{c?.lastSeenAt ? new Date(c.lastSeenAt).toLocaleTimeString(locale, { timeZone: 'Asia/Shanghai' }) : '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
}

export function QuestionsPanel({ view, rooms }: { view: SessionView; rooms: Room[] }) {
  const t = useT();
  const locale = useLocale();
  return (
    <section className="panel" aria-labelledby="questions-title">
      <h2 id="questions-title">{t('classroom.questions.title')}</h2>
      {view.questions.length === 0 ? <p>{t('classroom.questions.none')}</p> : null}
      <ul className="plain-list" aria-live="polite">
        {view.questions.map((q) => {
          const room = rooms.find((r) => r.id === q.classroomId);
          return (
            <li key={q.id} data-question={q.id}>
              <strong>{room ? localName(locale, room.nameZh, room.nameEn) : ''}</strong>: {q.body}{' '}
              <span className={q.answered ? 'pill ok' : 'pill'}>{q.answered ? t('classroom.questions.answered') : t('classroom.questions.open')}</span>{' '}
              <CommandForm intent="question-mark" fields={{ questionId: q.id, answered: q.answered ? '0' : '1' }}>
                <button type="submit" className="link-button">{q.answered ? t('classroom.questions.markOpen') : t('classroom.questions.markAnswered')}</button>
              </CommandForm>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

export function PollPanel({ view }: { view: SessionView }) {
  const t = useT();
  const poll = view.poll;
  const total = poll ? Math.max(1, poll.tallies.reduce((a, b) => a + b, 0)) : 1;
  return (
    <section className="panel" aria-labelledby="poll-title">
      <h2 id="poll-title">{t('classroom.poll.title')}</h2>
      {poll ? (
        <div aria-live="polite" data-testid="poll-tallies">
          <p>
            <strong>{poll.question}</strong> {poll.closed ? <span className="pill">{t('classroom.poll.closed')}</span> : null}
          </p>
          <ul className="plain-list">
            {poll.options.map((o, i) => (
              <li key={o}>
                {o}: {t('classroom.poll.tally', { count: poll.tallies[i] ?? 0 })} <meter min={0} max={total} value={poll.tallies[i] ?? 0} aria-label={o} />
              </li>
            ))}
          </ul>
          <p className="muted">{t('classroom.poll.answered', { count: poll.classroomsAnswered })}</p>
          {!poll.closed ? (
            <CommandForm intent="poll-close" fields={{ pollId: poll.id }}>
              <button type="submit" className="button secondary">{t('classroom.poll.close')}</button>
            </CommandForm>
          ) : null}
        </div>
      ) : null}
      {!poll || poll.closed ? (
        <CommandForm intent="poll-open" className="stacked">
          <div className="field">
            <label htmlFor="poll-question">{t('classroom.poll.question')}</label>
            <input id="poll-question" name="question" required maxLength={200} />
          </div>
          <div className="field">
            <label htmlFor="poll-options">{t('classroom.poll.options')}</label>
            <textarea id="poll-options" name="options" rows={3} required />
          </div>
          <button type="submit" className="button">{t('classroom.poll.open')}</button>
        </CommandForm>
      ) : null}
    </section>
  );
}

