import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { CsrfInput } from '../components/CsrfInput.js';
import { TableScroll } from '../components/TableScroll.js';
import { localName } from '../features/classrooms/names.js';
import { cstInputValue, scheduleSchema } from '../features/classrooms/schedule.js';
import { listUpcomingSessions, scheduleSessions, schedulingOptions, type UpcomingSession } from '../features/classrooms/timetable.server.js';
import { parseForm } from '../features/forms.server.js';
import { formatDateTime, useLocale, useT, type MessageKey } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { requirePermission, requireUser } from '../features/identity/guards.server.js';
import { hasPermission } from '../features/identity/permissions.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'classroom.title');

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const upcoming = await listUpcomingSessions(user);
  const teaches = hasPermission(user.memberships, 'studio:teach');
  return { ...upcoming, options: teaches ? await schedulingOptions(user.id) : null, defaultStart: cstInputValue(new Date(Date.now() + 24 * 3600_000)) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, 'studio:teach');
  const { submission } = await parseForm(request, scheduleSchema);
  if (submission.status !== 'success') return data({ ok: false as const, key: 'classroom.schedule.invalid' as MessageKey, count: 0 }, { status: 400 });
  const ids = await scheduleSessions(user.id, submission.value);
  if (!ids) return data({ ok: false as const, key: 'classroom.schedule.invalid' as MessageKey, count: 0 }, { status: 403 });
  return { ok: true as const, key: 'classroom.schedule.done' as MessageKey, count: ids.length };
}

function SessionTable({ sessions, side, label }: { sessions: UpcomingSession[]; side: 'teacher' | 'assistant'; label: string }) {
  const t = useT();
  const locale = useLocale();
  if (!sessions.length) return <p>{t('classroom.none')}</p>;
  return (
    <TableScroll label={label}>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('classroom.when')}</th>
            <th scope="col">{t('classroom.lesson')}</th>
            <th scope="col">{t('classroom.classrooms')}</th>
            <th scope="col">{t('classroom.status')}</th>
            <th scope="col">{t('common.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr key={s.id} data-session={s.id}>
              <td>
                {formatDateTime(locale, new Date(s.startsAt))}
                <br />
                <span className="muted">{t(s.weekly ? 'classroom.weekly' : 'classroom.once')}</span>
              </td>
              <td>
                {localName(locale, s.courseTitleZh, s.courseTitleEn)}
                <br />
                {localName(locale, s.lessonTitleZh, s.lessonTitleEn)}
              </td>
              <td>{s.classrooms.map((c) => `${localName(locale, c.schoolZh, c.schoolEn)} ${localName(locale, c.nameZh, c.nameEn)}`).join('; ')}</td>
              <td>{t(`classroom.status.${s.status}` as MessageKey)}</td>
              <td>
                <ul className="plain-list">
                  {side === 'teacher' ? (
                    <li>
                      <a href={`/classroom/sessions/${s.id}/console`}>{t('classroom.openConsole')}</a>
                    </li>
                  ) : (
                    s.classrooms.map((c) => (
                      <li key={c.id}>
                        <a href={`/classroom/sessions/${s.id}/screen?classroom=${c.id}`}>{t('classroom.openScreen', { classroom: localName(locale, c.nameZh, c.nameEn) })}</a>
                      </li>
                    ))
                  )}
                  <li>
                    <a href={`/classroom/sessions/${s.id}/report`}>{t('classroom.report')}</a>
                  </li>
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

function ScheduleForm({ options, defaultStart }: { options: NonNullable<ReturnType<typeof useLoaderData<typeof loader>>['options']>; defaultStart: string }) {
  const t = useT();
  const locale = useLocale();
  return (
    <section className="panel" aria-labelledby="schedule-title">
      <h2 id="schedule-title">{t('classroom.schedule.title')}</h2>
      <Form method="post" className="stacked">
        <CsrfInput />
        <input type="hidden" name="intent" value="schedule" />
        <div className="field">
          <label htmlFor="lessonId">{t('classroom.schedule.lesson')}</label>
          <select id="lessonId" name="lessonId" required>
            {options.lessons.map((l) => (
              <option key={l.lessonId} value={l.lessonId}>
                {localName(locale, l.courseTitleZh, l.courseTitleEn)} · {localName(locale, l.lessonTitleZh, l.lessonTitleEn)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="leadClassroomId">{t('classroom.schedule.lead')}</label>
          <select id="leadClassroomId" name="leadClassroomId" required>
            {options.leadRooms.map((c) => (
              <option key={c.id} value={c.id}>
                {localName(locale, c.schoolZh, c.schoolEn)} {localName(locale, c.nameZh, c.nameEn)}
              </option>
            ))}
          </select>
        </div>
        <fieldset className="field">
          <legend>{t('classroom.schedule.receivers')}</legend>
          {options.receivingRooms.map((c) => (
            <label key={c.id} className="check">
              <input type="checkbox" name="receiverIds" value={c.id} /> {localName(locale, c.schoolZh, c.schoolEn)} {localName(locale, c.nameZh, c.nameEn)}
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="startsAt">{t('classroom.schedule.startsAt')}</label>
          <input id="startsAt" name="startsAt" type="datetime-local" defaultValue={defaultStart} required />
        </div>
        <div className="field">
          <label htmlFor="minutes">{t('classroom.schedule.minutes')}</label>
          <input id="minutes" name="minutes" type="number" min={10} max={240} defaultValue={45} required />
        </div>
        <div className="field">
          <label htmlFor="weeks">{t('classroom.schedule.weeks')}</label>
          <input id="weeks" name="weeks" type="number" min={1} max={20} defaultValue={1} required />
        </div>
        <div className="field">
          <label htmlFor="slides">{t('classroom.schedule.slides')}</label>
          <textarea id="slides" name="slides" rows={4} />
        </div>
        <button type="submit" className="button">
          {t('classroom.schedule.submit')}
        </button>
      </Form>
    </section>
  );
}

export default function Timetable() {
  const { teaching, assisting, options, defaultStart } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  return (
    <section aria-labelledby="timetable-title">
      <h1 id="timetable-title">{t('classroom.title')}</h1>
      {result ? (
        <p className={`notice ${result.ok ? 'ok' : 'warn'}`} role="status">
          {t(result.key, { count: result.count })}
        </p>
      ) : null}
      {options || teaching.length ? (
        <>
          <h2>{t('classroom.teaching')}</h2>
          <SessionTable sessions={teaching} side="teacher" label={t('classroom.teaching')} />
        </>
      ) : null}
      {assisting.length || !options ? (
        <>
          <h2>{t('classroom.assisting')}</h2>
          <SessionTable sessions={assisting} side="assistant" label={t('classroom.assisting')} />
        </>
      ) : null}
      {options ? <ScheduleForm options={options} defaultStart={defaultStart} /> : null}
    </section>
  );
}
