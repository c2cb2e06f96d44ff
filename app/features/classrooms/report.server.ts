import { asc, eq, inArray } from 'drizzle-orm';
import { sessionAttendance, sessionClassrooms, sessionPollAnswers, sessionPolls, sessionQuestions } from '../../../db/schema/index.js';
import { getServices } from '../../services.server.js';
import type { SessionForUser } from './access.server.js';

/** Attendance per classroom, the questions, poll results and how much each classroom took part. */
export async function sessionReport(s: SessionForUser) {
  const { db } = getServices();
  const id = s.session.id;
  const [attendance, questions, polls, rooms] = await Promise.all([
    db.select().from(sessionAttendance).where(eq(sessionAttendance.sessionId, id)),
    db.select().from(sessionQuestions).where(eq(sessionQuestions.sessionId, id)).orderBy(asc(sessionQuestions.createdAt)),
    db.select().from(sessionPolls).where(eq(sessionPolls.sessionId, id)).orderBy(asc(sessionPolls.createdAt)),
    db.select().from(sessionClassrooms).where(eq(sessionClassrooms.sessionId, id)),
  ]);
  const answers = polls.length ? await db.select().from(sessionPollAnswers).where(inArray(sessionPollAnswers.pollId, polls.map((p) => p.id))) : [];
  const classrooms = s.receivers.map((c) => ({
    ...c,
    joined: rooms.some((r) => r.classroomId === c.id && r.joinedAt !== null),
    headcount: attendance.find((a) => a.classroomId === c.id)?.headcount ?? null,
    questions: questions.filter((q) => q.classroomId === c.id).length,
    pollsAnswered: answers.filter((a) => a.classroomId === c.id).length,
  }));
  return {
    classrooms,
    questions: questions.map((q) => ({ id: q.id, classroomId: q.classroomId, body: q.body, answered: q.answeredAt !== null })),
    polls: polls.map((p) => ({ id: p.id, question: p.question, options: p.options, tallies: p.options.map((_, i) => answers.filter((a) => a.pollId === p.id).reduce((n, a) => n + (a.counts[i] ?? 0), 0)) })),
    summary: {
      classrooms: classrooms.length,
      joined: classrooms.filter((c) => c.joined).length,
      present: classrooms.reduce((n, c) => n + (c.headcount ?? 0), 0),
      questions: questions.length,
      polls: polls.length,
    },
  };
}
