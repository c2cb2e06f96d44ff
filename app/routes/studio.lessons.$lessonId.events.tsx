import type { LoaderFunctionArgs } from '@remix-run/node';
import { requireLessonTeacher } from '../features/studio/lesson-access.server.js';
import { lessonEventStream } from '../features/studio/video-events.server.js';

/** Live status and transcoding progress of a lesson's videos, for its teachers (Server-Sent Events). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { lesson } = await requireLessonTeacher(request, context, params.lessonId);
  return lessonEventStream(lesson.id, request.signal);
}
