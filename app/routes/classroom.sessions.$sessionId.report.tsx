import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { TableScroll } from '../components/TableScroll.js';
import { requireSessionReportReader } from '../features/classrooms/access.server.js';
import { localName } from '../features/classrooms/names.js';
import { sessionReport } from '../features/classrooms/report.server.js';
import { formatDateTime, useLocale, useT, type MessageKey } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'classroom.report.title');

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { s } = await requireSessionReportReader(request, context, params.sessionId);
  return {
    session: { startsAt: s.session.startsAt.toISOString(), status: s.session.status, courseTitleZh: s.courseTitleZh, courseTitleEn: s.courseTitleEn, lessonTitleZh: s.lessonTitleZh, lessonTitleEn: s.lessonTitleEn },
    report: await sessionReport(s),
  };
}

export default function Report() {
  const { session, report } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const roomName = (id: string) => {
    const c = report.classrooms.find((x) => x.id === id);
    return c ? localName(locale, c.nameZh, c.nameEn) : '';
  };
  return (
    <article aria-labelledby="report-title">
      <p className="muted">
        {localName(locale, session.courseTitleZh, session.courseTitleEn)} · {formatDateTime(locale, new Date(session.startsAt))} · {t(`classroom.status.${session.status}` as MessageKey)}
      </p>
      <h1 id="report-title">
        {t('classroom.report.title')}: {localName(locale, session.lessonTitleZh, session.lessonTitleEn)}
      </h1>
      <p data-testid="report-summary">{t('classroom.report.summary', report.summary)}</p>
      <h2>{t('classroom.report.participation')}</h2>
      <TableScroll label={t('classroom.report.participation')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('classroom.rooms.classroom')}</th>
              <th scope="col">{t('classroom.report.joined')}</th>
              <th scope="col">{t('classroom.rooms.attendance')}</th>
              <th scope="col">{t('classroom.report.questionsAsked')}</th>
              <th scope="col">{t('classroom.report.pollsAnswered')}</th>
            </tr>
          </thead>
          <tbody>
            {report.classrooms.map((c) => (
              <tr key={c.id}>
                <th scope="row">{localName(locale, c.nameZh, c.nameEn)}</th>
                <td>{c.joined ? t('classroom.yes') : t('classroom.no')}</td>
                <td>{c.headcount ?? t('classroom.report.notRecorded')}</td>
                <td>{c.questions}</td>
                <td>{c.pollsAnswered}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <h2>{t('classroom.questions.title')}</h2>
      {report.questions.length ? (
        <ul>
          {report.questions.map((q) => (
            <li key={q.id}>
              <strong>{roomName(q.classroomId)}</strong>: {q.body} ({q.answered ? t('classroom.questions.answered') : t('classroom.questions.open')})
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('classroom.questions.none')}</p>
      )}
      <h2>{t('classroom.report.polls')}</h2>
      {report.polls.length ? (
        report.polls.map((p) => (
          <section key={p.id} aria-label={p.question}>
            <h3>{p.question}</h3>
            <ul>
              {p.options.map((o, i) => (
                <li key={o}>
                  {o}: {t('classroom.poll.tally', { count: p.tallies[i] ?? 0 })}
                </li>
              ))}
            </ul>
          </section>
        ))
      ) : (
        <p>{t('common.none')}</p>
      )}
    </article>
  );
}
