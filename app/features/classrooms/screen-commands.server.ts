import { and, eq, inArray, isNull } from 'drizzle-orm';
import { classroomPupils, liveSessions, sessionAttendance, sessionClassrooms, sessionPollAnswers, sessionPolls, sessionQuestions } from '../../../db/schema/index.js';
import type { Database, Transaction as Tx } from '../../../db/client.js';
import { getServices } from '../../services.server.js';
import { COMMAND_LEAD_MS, type ScreenCommand } from './commands.js';
import { appendSessionEvent, publishSessionMessage } from './session-events.server.js';
import { applyCommand } from './playback-state.js';
import { pollView, questionView } from './session-view.server.js';
import type { CommandOutcome } from './teacher-commands.server.js';

type Actor = { userId: string; classroomId: string };

async function touchClassroom(tx: Tx | Database, sessionId: string, classroomId: string, set: Partial<typeof sessionClassrooms.$inferInsert>) {
  const now = new Date();
  await tx
    .insert(sessionClassrooms)
    .values({ sessionId, classroomId, joinedAt: now, lastSeenAt: now, ...set })
    .onConflictDoUpdate({ target: [sessionClassrooms.sessionId, sessionClassrooms.classroomId], set: { lastSeenAt: now, ...set } });
}

/** A receiving classroom's action: a question, a raised hand, a poll answer, attendance, or its connection figures. */
export async function runScreenCommand(sessionId: string, actor: Actor, command: ScreenCommand, now = Date.now()): Promise<CommandOutcome> {
  if (command.intent === 'status') return reportStatus(sessionId, actor, command, now);
  let refusal: CommandOutcome | null = null;
  const message = await appendSessionEvent(sessionId, async (tx, session) => {
    if (session.status === 'ended' && command.intent !== 'attendance') {
      refusal = { ok: false, status: 409, reason: 'classroom.error.ended' };
      return null;
    }
    switch (command.intent) {
      case 'ask': {
        // The screen names each question; a send retried after a lost reply is stored once.
        const [q] = await tx.insert(sessionQuestions).values({ sessionId, classroomId: actor.classroomId, askedBy: actor.userId, clientKey: command.clientKey, body: command.body }).onConflictDoNothing().returning();
        return q ? { kind: 'question', payload: { question: questionView(q) }, audience: actor.classroomId } : null;
      }
      case 'hand':
        await touchClassroom(tx, sessionId, actor.classroomId, { handRaisedAt: command.raised ? new Date(now) : null });
        return { kind: 'hand', payload: { classroomId: actor.classroomId, raised: command.raised }, audience: actor.classroomId };
      case 'poll-answer': {
        const [poll] = await tx.select().from(sessionPolls).where(and(eq(sessionPolls.id, command.pollId), eq(sessionPolls.sessionId, sessionId), isNull(sessionPolls.closedAt)));
        if (!poll || command.counts.length !== poll.options.length) {
          refusal = { ok: false, status: poll ? 409 : 404, reason: poll ? 'classroom.error.pollShape' : 'classroom.error.noPoll' };
          return null;
        }
        await tx
          .insert(sessionPollAnswers)
          .values({ pollId: poll.id, classroomId: actor.classroomId, counts: command.counts, answeredBy: actor.userId })
          .onConflictDoUpdate({ target: [sessionPollAnswers.pollId, sessionPollAnswers.classroomId], set: { counts: command.counts, answeredBy: actor.userId, answeredAt: new Date(now) } });
        return { kind: 'poll', payload: { poll: { ...(await pollView(tx, poll.id))!, mine: null } } };
      }
      case 'attendance': {
        const pupils = command.pupilIds.length
          ? await tx.select({ id: classroomPupils.id }).from(classroomPupils).where(and(eq(classroomPupils.classroomId, actor.classroomId), inArray(classroomPupils.id, command.pupilIds)))
          : [];
        const present = pupils.map((p) => p.id);
        const headcount = command.mode === 'roster' ? present.length : command.headcount ?? 0;
        const row = { mode: command.mode, presentPupilIds: command.mode === 'roster' ? present : [], headcount, recordedBy: actor.userId, recordedAt: new Date(now) };
        await tx.insert(sessionAttendance).values({ sessionId, classroomId: actor.classroomId, ...row }).onConflictDoUpdate({ target: [sessionAttendance.sessionId, sessionAttendance.classroomId], set: row });
        return { kind: 'attendance', payload: { attendance: { classroomId: actor.classroomId, mode: row.mode, headcount, presentPupilIds: row.presentPupilIds } }, audience: actor.classroomId };
      }
    }
  });
  return refusal ?? { ok: true, message };
}

/**
 * Stores the figures the teacher's connection panel shows. With "wait for buffering" on,
 * a classroom stuck buffering pauses everyone, and playback resumes (at a shared instant)
 * when no classroom is waited for any more.
 */
async function reportStatus(sessionId: string, actor: Actor, s: Extract<ScreenCommand, { intent: 'status' }>, now: number): Promise<CommandOutcome> {
  const { db } = getServices();
  const figures = { rttMs: s.rttMs ?? null, bufferSeconds: s.bufferSeconds ?? null, driftMs: s.driftMs ?? null, rung: s.rung ?? null, buffering: s.buffering };
  await touchClassroom(db, sessionId, actor.classroomId, figures);
  await publishSessionMessage(sessionId, { seq: null, kind: 'connection', audience: 'teacher', payload: { connection: { classroomId: actor.classroomId, ...figures, lastSeenAt: new Date(now).toISOString() } } });
  // Most reports change nothing: look without the row lock first, so a thousand screens
  // reporting do not queue behind each other.
  const [peek] = await db.select({ wait: liveSessions.waitForBuffering, status: liveSessions.status, state: liveSessions.state }).from(liveSessions).where(eq(liveSessions.id, sessionId));
  if (!peek?.wait || peek.status !== 'live' || (!s.buffering && !peek.state.waitingFor.includes(actor.classroomId))) return { ok: true, message: null };
  const message = await appendSessionEvent(sessionId, async (_tx, session) => {
    if (!session.waitForBuffering || session.status !== 'live') return null;
    const waiting = session.state.waitingFor.includes(actor.classroomId);
    if (s.buffering && session.state.playing && !waiting) {
      const state = { ...applyCommand(session.state, { kind: 'pause' }, now + COMMAND_LEAD_MS), waitingFor: [actor.classroomId] };
      return { kind: 'playback', payload: { state, command: 'wait' }, session: { state } };
    }
    if (s.buffering && !session.state.playing && session.state.waitingFor.length && !waiting) {
      const state = { ...session.state, waitingFor: [...session.state.waitingFor, actor.classroomId] };
      return { kind: 'playback', payload: { state, command: 'wait' }, session: { state } };
    }
    if (!s.buffering && waiting) {
      const rest = session.state.waitingFor.filter((c) => c !== actor.classroomId);
      const state = rest.length ? { ...session.state, waitingFor: rest } : applyCommand(session.state, { kind: 'play' }, now + COMMAND_LEAD_MS);
      return { kind: 'playback', payload: { state, command: rest.length ? 'wait' : 'play' }, session: { state } };
    }
    return null;
  });
  return { ok: true, message };
}
