import { and, eq } from 'drizzle-orm';
import { sessionClassrooms, sessionPolls, sessionQuestions } from '../../../db/schema/index.js';
import { COMMAND_LEAD_MS, type TeacherCommand } from './commands.js';
import { appendSessionEvent, type SessionMessage } from './session-events.server.js';
import { lessonVideoDuration, pollView, questionView } from './session-view.server.js';
import { applyCommand } from './playback-state.js';
import { stopBroadcast } from './live-broadcast.server.js';
import { shownDeckPages } from './slide-decks.server.js';

export type CommandOutcome = { ok: true; message: SessionMessage | null } | { ok: false; status: 404 | 409; reason: string };

/** Runs one of the teacher's commands; playback changes take effect at a shared instant COMMAND_LEAD_MS ahead. */
export async function runTeacherCommand(sessionId: string, command: TeacherCommand, now = Date.now()): Promise<CommandOutcome> {
  let refusal: CommandOutcome | null = null;
  const message = await appendSessionEvent(sessionId, async (tx, session) => {
    if (session.status === 'ended') {
      refusal = { ok: false, status: 409, reason: 'classroom.error.ended' };
      return null;
    }
    const goLive = session.status === 'scheduled' ? { status: 'live' as const, startedAt: new Date(now) } : {};
    switch (command.intent) {
      case 'start':
        return session.status === 'live' ? null : { kind: 'session', payload: { status: 'live' }, session: goLive };
      case 'end':
        return { kind: 'session', payload: { status: 'ended' }, session: { status: 'ended', endedAt: new Date(now), state: applyCommand(session.state, { kind: 'pause' }, now) } };
      case 'wait':
        return { kind: 'session', payload: { status: goLive.status ?? session.status, waitForBuffering: command.on }, session: { ...goLive, waitForBuffering: command.on } };
      case 'play':
      case 'pause':
      case 'seek':
      case 'slide':
      case 'slide-page': {
        const duration = await lessonVideoDuration(tx, session.lessonId);
        const playback =
          command.intent === 'seek' ? { kind: 'seek' as const, position: command.position } : command.intent === 'slide' || command.intent === 'slide-page' ? { kind: 'slide' as const, slide: Math.min(command.intent === 'slide' ? command.slide : command.page - 1, Math.max(0, ((await shownDeckPages(tx, sessionId)) ?? session.slides.length) - 1)) } : { kind: command.intent };
        const state = applyCommand(session.state, playback, now + COMMAND_LEAD_MS, duration);
        return { kind: 'playback', payload: { state, command: playback.kind }, session: { ...goLive, state } };
      }
      case 'poll-open': {
        const [poll] = await tx.insert(sessionPolls).values({ sessionId, question: command.question, options: command.options }).returning({ id: sessionPolls.id });
        return { kind: 'poll', payload: { poll: await pollView(tx, poll!.id) }, session: goLive };
      }
      case 'poll-close': {
        const [closed] = await tx
          .update(sessionPolls)
          .set({ closedAt: new Date(now) })
          .where(and(eq(sessionPolls.id, command.pollId), eq(sessionPolls.sessionId, sessionId)))
          .returning({ id: sessionPolls.id });
        if (!closed) refusal = { ok: false, status: 404, reason: 'classroom.error.noPoll' };
        return closed ? { kind: 'poll', payload: { poll: await pollView(tx, closed.id) } } : null;
      }
      case 'question-mark': {
        const [q] = await tx
          .update(sessionQuestions)
          .set({ answeredAt: command.answered ? new Date(now) : null })
          .where(and(eq(sessionQuestions.id, command.questionId), eq(sessionQuestions.sessionId, sessionId)))
          .returning();
        if (!q) refusal = { ok: false, status: 404, reason: 'classroom.error.noQuestion' };
        return q ? { kind: 'question', payload: { question: questionView(q) }, audience: q.classroomId } : null;
      }
      case 'hand-lower': {
        await tx
          .update(sessionClassrooms)
          .set({ handRaisedAt: null })
          .where(and(eq(sessionClassrooms.sessionId, sessionId), eq(sessionClassrooms.classroomId, command.classroomId)));
        return { kind: 'hand', payload: { classroomId: command.classroomId, raised: false }, audience: command.classroomId };
      }
    }
  });
  // Ending the session takes the teacher off air too; the recording is made as after "stop".
  if (!refusal && command.intent === 'end' && message) await stopBroadcast(sessionId, null, null);
  return refusal ?? { ok: true, message };
}
