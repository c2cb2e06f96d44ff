import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { requireSessionTeacher } from '../features/classrooms/access.server.js';
import { runSessionCommand } from '../features/classrooms/command-action.server.js';
import { PlaybackControls, PollPanel, QuestionsPanel, RoomsPanel, WaitingNotice } from '../features/classrooms/ConsolePanels.js';
import { DeckPanel } from '../features/classrooms/SlideDeckPanels.js';
import { LiveBroadcastPanel } from '../features/classrooms/LiveBroadcastPanel.js';
import { LiveSession } from '../features/classrooms/LiveSession.js';
import { localName } from '../features/classrooms/names.js';
import { sessionPageData } from '../features/classrooms/page-data.server.js';
import { formatDateTime, useLocale, useT, type MessageKey } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';

export const handle = { hydrate: true };
export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'classroom.console.title');
// The stream keeps the page current; a command needs no reload.
export const shouldRevalidate = () => false;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { s } = await requireSessionTeacher(request, context, params.sessionId);
  return sessionPageData(s, { audience: 'teacher' });
}

export async function action(args: ActionFunctionArgs) {
  const outcome = await runSessionCommand(args);
  return data(outcome.body, { status: outcome.status });
}

export default function Console() {
  const { session, video, initial, slidesBase } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const title = localName(locale, session.lessonTitleZh, session.lessonTitleEn);
  return (
    <article aria-labelledby="console-title" className="live-session">
      <p className="muted">
        {localName(locale, session.courseTitleZh, session.courseTitleEn)} · {formatDateTime(locale, new Date(session.startsAt))} · {localName(locale, session.lead.nameZh, session.lead.nameEn)}
      </p>
      <h1 id="console-title">
        {t('classroom.console.title')}: {title}
      </h1>
      <LiveSession sessionId={session.id} classroomId={null} initial={initial} video={video} title={title}>
        {(view, clock) => (
          <>
            <p>
              {t('classroom.status')}: <strong data-testid="session-status">{t(`classroom.status.${view.status}` as MessageKey)}</strong>
            </p>
            <WaitingNotice view={view} rooms={session.receivers} />
            <LiveBroadcastPanel sessionId={session.id} view={view} />
            <DeckPanel view={view} slidesBase={slidesBase} sessionId={session.id} />
            <PlaybackControls view={view} clock={clock} duration={video?.duration ?? null} />
            <RoomsPanel view={view} rooms={session.receivers} />
            <QuestionsPanel view={view} rooms={session.receivers} />
            <PollPanel view={view} />
            <p>
              <a href={`/classroom/sessions/${session.id}/report`}>{t('classroom.report')}</a>
            </p>
          </>
        )}
      </LiveSession>
    </article>
  );
}
