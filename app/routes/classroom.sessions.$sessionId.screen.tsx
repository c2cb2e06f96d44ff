import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { randomBytes } from 'node:crypto';
import { requireSessionAssistant } from '../features/classrooms/access.server.js';
import { runSessionCommand } from '../features/classrooms/command-action.server.js';
import { LiveSession } from '../features/classrooms/LiveSession.js';
import { localName } from '../features/classrooms/names.js';
import { classroomRoster, sessionPageData } from '../features/classrooms/page-data.server.js';
import { PrefetchPanel } from '../features/classrooms/PrefetchPanel.js';
import { SlideShow } from '../features/classrooms/SlideDeckPanels.js';
import { AskPanel, AttendancePanel, HandPanel, PollAnswerPanel } from '../features/classrooms/ScreenPanels.js';
import { useLocale, useT, type MessageKey } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';

export const handle = { hydrate: true };
export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'classroom.screen.title');
export const shouldRevalidate = () => false;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { s, classroom } = await requireSessionAssistant(request, context, params.sessionId, new URL(request.url).searchParams.get('classroom'));
  return { ...(await sessionPageData(s, { audience: 'screen', classroomId: classroom.id })), classroom, roster: await classroomRoster(classroom.id), clientKey: randomBytes(12).toString('hex') };
}

export async function action(args: ActionFunctionArgs) {
  const outcome = await runSessionCommand(args);
  return data(outcome.body, { status: outcome.status });
}

export default function Screen() {
  const { session, video, initial, classroom, roster, clientKey, slidesBase } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const title = localName(locale, session.lessonTitleZh, session.lessonTitleEn);
  return (
    <article aria-labelledby="screen-title" className="live-session">
      <p className="muted">
        {localName(locale, session.courseTitleZh, session.courseTitleEn)} · {localName(locale, classroom.nameZh, classroom.nameEn)}
      </p>
      <h1 id="screen-title">{title}</h1>
      <LiveSession sessionId={session.id} classroomId={classroom.id} initial={initial} video={video} title={title}>
        {(view) => (
          <>
            <p>
              {t('classroom.status')}: <strong data-testid="session-status">{t(`classroom.status.${view.status}` as MessageKey)}</strong>
            </p>
            <SlideShow view={view} slidesBase={slidesBase} />
            {/* A new deck means new pages to store: the panel starts over with the new list. */}
            <PrefetchPanel key={view.deck?.id ?? 'no-deck'} sessionId={session.id} classroomId={classroom.id} scheduled={view.status === 'scheduled'} />
            <HandPanel view={view} classroomId={classroom.id} />
            <PollAnswerPanel view={view} classroomId={classroom.id} />
            <AskPanel view={view} classroomId={classroom.id} clientKey={clientKey} />
            <AttendancePanel view={view} classroomId={classroom.id} roster={roster} />
          </>
        )}
      </LiveSession>
    </article>
  );
}
