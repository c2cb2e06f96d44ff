import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { lessons, liveBroadcasts, liveSessions, videos } from '../../db/schema/index.js';

const shanghai = (d: Date, locale: string) =>
  new Intl.DateTimeFormat(locale, { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).format(d);

/** 课堂录像 2026/11/25 09:30 — the lesson title the teacher finds in the studio. */
export function recordingLessonTitles(startedAt: Date): { titleZh: string; titleEn: string } {
  return { titleZh: `课堂录像 ${shanghai(startedAt, 'zh-CN')}`, titleEn: `Class recording ${shanghai(startedAt, 'en-GB')}` };
}

/**
 * A new lesson at the end of the session lesson's module holding the recording as its
 * video, queued for the ordinary pipeline. It is a draft: the classroom's voices reach
 * students only once the teacher has watched it and published it. Idempotent: a repeated finish returns the
 * video it made the first time. Returns the video id.
 */
export async function createRecordingLesson(db: Database, broadcastId: string, uploadId: string, bytes: number): Promise<string> {
  return db.transaction(async (tx) => {
    const [b] = await tx.select().from(liveBroadcasts).where(eq(liveBroadcasts.id, broadcastId)).for('update');
    if (!b) throw new Error(`no broadcast ${broadcastId}`);
    if (b.recordingVideoId) return b.recordingVideoId;
    const [source] = await tx
      .select({ courseId: lessons.courseId, moduleId: lessons.moduleId })
      .from(liveSessions)
      .innerJoin(lessons, eq(lessons.id, liveSessions.lessonId))
      .where(eq(liveSessions.id, b.sessionId));
    if (!source) throw new Error(`broadcast ${broadcastId} has no session lesson`);
    const [{ last }] = (await tx
      .select({ last: sql<number>`coalesce(max(${lessons.position}), 0)` })
      .from(lessons)
      .where(and(eq(lessons.courseId, source.courseId)))) as [{ last: number }];
    const [lesson] = await tx
      .insert(lessons)
      .values({ courseId: source.courseId, moduleId: source.moduleId, position: Number(last) + 1, draft: true, ...recordingLessonTitles(b.startedAt) })
      .returning({ id: lessons.id });
    const [video] = await tx
      .insert(videos)
      .values({ lessonId: lesson!.id, uploadId, uploadedBy: b.teacherId, originalFilename: `${uploadId}.webm`, sourceBytes: bytes })
      .returning({ id: videos.id });
    await tx.update(liveBroadcasts).set({ recordingLessonId: lesson!.id, recordingVideoId: video!.id }).where(eq(liveBroadcasts.id, broadcastId));
    return video!.id;
  });
}
