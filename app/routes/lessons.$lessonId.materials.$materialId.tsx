import { data, type LoaderFunctionArgs } from '@remix-run/node';
import { z } from 'zod';
import { requireLessonViewer } from '../features/learning/lesson-viewer.server.js';
import { openMaterial } from '../features/studio/materials.server.js';
import { attachmentDisposition } from '../features/studio/materials.js';

/**
 * A lesson's material, for those who may open the lesson: always a download, never rendered
 * (X-Content-Type-Options: nosniff comes with every response, from the security headers).
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { lesson } = await requireLessonViewer(request, context, params.lessonId);
  const id = z.string().uuid().safeParse(params.materialId);
  const material = id.success ? await openMaterial(lesson.id, id.data) : null;
  if (!material) throw data({ reason: 'not-found' as const }, { status: 404 });
  return new Response(material.body, {
    headers: {
      'Content-Type': material.contentType,
      'Content-Length': String(material.size),
      'Content-Disposition': attachmentDisposition(material.fileName),
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Cache-Control': 'private, no-cache',
      ETag: `"${material.sha256}"`,
    },
  });
}
