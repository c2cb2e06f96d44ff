import { and, asc, desc, eq, isNotNull } from 'drizzle-orm';
import { liveSessions, sessionAttendance, sessionClassrooms, sessionPollAnswers, sessionPolls, sessionQuestions, videos } from '../../../db/schema/index.js';
import type { Database } from '../../../db/client.js';
import { getServices } from '../../services.server.js';
import type { PollView, QuestionView, SessionSnapshot } from './session-view.js';
import { broadcastOnAir, liveView } from './live-broadcast.server.js';
import { sessionDecks } from './slide-decks.server.js';

type Executor = Pick<Database, 'select'>;

/** A poll with its live tallies: pupils per option over every classroom that answered. */
export async function pollView(db: Executor, pollId: string, classroomId?: string): Promise<PollView | null> {
  const [poll] = await db.select().from(sessionPolls).where(eq(sessionPolls.id, pollId));
  if (!poll) return null;
  const answers = await db.select({ classroomId: sessionPollAnswers.classroomId, counts: sessionPollAnswers.counts }).from(sessionPollAnswers).where(eq(sessionPollAnswers.pollId, pollId));
  const tallies = poll.options.map((_, i) => answers.reduce((sum, a) => sum + (a.counts[i] ?? 0), 0));
  const mine = classroomId ? answers.find((a) => a.classroomId === classroomId)?.counts ?? null : null;
  return { id: poll.id, question: poll.question, options: poll.options, tallies, classroomsAnswered: answers.length, closed: poll.closedAt !== null, mine };
}

export function questionView(q: { id: string; classroomId: string; body: string; answeredAt: Date | null; createdAt: Date }): QuestionView {
  return { id: q.id, classroomId: q.classroomId, body: q.body, answered: q.answeredAt !== null, askedAt: q.createdAt.toISOString() };
}

/** Everything a console (all classrooms) or a screen (its own classroom) shows, as of `seq`. */
export async function sessionSnapshot(sessionId: string, view: { audience: 'teacher' } | { audience: 'screen'; classroomId: string }): Promise<{ seq: number; payload: SessionSnapshot }> {
  const { db } = getServices();
  const [s] = await db.select().from(liveSessions).where(eq(liveSessions.id, sessionId));
  if (!s) throw new Error(`no session ${sessionId}`);
  const mineOnly = view.audience === 'screen' ? view.classroomId : null;
  const [latestPoll] = await db.select({ id: sessionPolls.id }).from(sessionPolls).where(eq(sessionPolls.sessionId, sessionId)).orderBy(desc(sessionPolls.createdAt)).limit(1);
  const questions = await db
    .select()
    .from(sessionQuestions)
    .where(mineOnly ? and(eq(sessionQuestions.sessionId, sessionId), eq(sessionQuestions.classroomId, mineOnly)) : eq(sessionQuestions.sessionId, sessionId))
    .orderBy(asc(sessionQuestions.createdAt));
  const rooms = await db.select().from(sessionClassrooms).where(eq(sessionClassrooms.sessionId, sessionId));
  const attendance = await db.select({ classroomId: sessionAttendance.classroomId, headcount: sessionAttendance.headcount, mode: sessionAttendance.mode, presentPupilIds: sessionAttendance.presentPupilIds }).from(sessionAttendance).where(eq(sessionAttendance.sessionId, sessionId));
  const live = liveView(await broadcastOnAir(sessionId));
  const visible = <T extends { classroomId: string }>(rows: T[]) => (mineOnly ? rows.filter((r) => r.classroomId === mineOnly) : rows);
  return {
    seq: s.lastSeq,
    payload: {
      status: s.status,
      state: s.state,
      slides: s.slides,
      ...(await sessionDecks(sessionId, view.audience)),
      waitForBuffering: s.waitForBuffering,
      poll: latestPoll ? await pollView(db, latestPoll.id, mineOnly ?? undefined) : null,
      questions: questions.map(questionView),
      hands: visible(rooms.filter((r) => r.handRaisedAt !== null)).map((r) => r.classroomId),
      attendance: visible(attendance),
      connections: mineOnly
        ? []
        : rooms.map((r) => ({ classroomId: r.classroomId, rttMs: r.rttMs, bufferSeconds: r.bufferSeconds, rung: r.rung, driftMs: r.driftMs, buffering: r.buffering, lastSeenAt: r.lastSeenAt?.toISOString() ?? null })),
      live,
    },
  };
}

/** The lesson's published video duration, to keep seeks inside it. */
export async function lessonVideoDuration(db: Executor, lessonId: string): Promise<number> {
  const [v] = await db.select({ d: videos.durationSeconds }).from(videos).where(and(eq(videos.lessonId, lessonId), eq(videos.status, 'ready'), isNotNull(videos.durationSeconds)));
  return v?.d ?? Infinity;
}
