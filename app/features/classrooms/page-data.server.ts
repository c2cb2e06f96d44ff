import { asc, eq } from 'drizzle-orm';
import { classroomPupils } from '../../../db/schema/index.js';
import { getServices } from '../../services.server.js';
import { findLessonWithVideo } from '../learning/lesson.server.js';
import { signedMediaBase, signedSlidesBase } from '../learning/media-urls.server.js';
import type { SessionForUser } from './access.server.js';
import { sessionSnapshot } from './session-view.server.js';
import type { SessionView } from './session-view.js';

/** What the console and the screen pages both start from: the session, its video and the current view. */
export async function sessionPageData(s: SessionForUser, view: { audience: 'teacher' } | { audience: 'screen'; classroomId: string }) {
  const lesson = await findLessonWithVideo(s.session.lessonId);
  const snap = await sessionSnapshot(s.session.id, view);
  return {
    session: {
      id: s.session.id,
      startsAt: s.session.startsAt.toISOString(),
      endsAt: s.session.endsAt.toISOString(),
      courseTitleZh: s.courseTitleZh,
      courseTitleEn: s.courseTitleEn,
      lessonTitleZh: s.lessonTitleZh,
      lessonTitleEn: s.lessonTitleEn,
      lead: s.lead,
      receivers: s.receivers,
    },
    slidesBase: signedSlidesBase(s.session.id),
    video: lesson?.videoId ? { base: signedMediaBase(lesson.videoId), duration: lesson.durationSeconds ?? null } : null,
    initial: { ...snap.payload, previous: null, seq: snap.seq } satisfies SessionView,
  };
}

export async function classroomRoster(classroomId: string) {
  return getServices().db.select({ id: classroomPupils.id, displayName: classroomPupils.displayName }).from(classroomPupils).where(eq(classroomPupils.classroomId, classroomId)).orderBy(asc(classroomPupils.displayName));
}
