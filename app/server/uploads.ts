import { randomUUID } from 'node:crypto';
import { Server } from '@tus/server';
import type { Locker } from '@tus/utils';
import { z } from 'zod';
import { MAX_UPLOAD_BYTES, type UploadStore } from '../../workers/storage/upload-store.js';
import { recordAccessDenied } from '../features/audit/audit.server.js';
import { getCurrentUser } from '../features/identity/session.server.js';
import { canTeachLesson, findLesson } from '../features/studio/lesson-access.server.js';
import { createVideoFromUpload } from '../features/studio/videos.server.js';
import { getServices } from '../services.server.js';

export const UPLOAD_PATH = '/uploads/tus';

// tus-js-client sends these as Upload-Metadata; anything else is dropped.
const metadataSchema = z.object({ lessonId: z.string().uuid(), filename: z.string().max(255).optional(), filetype: z.string().max(100).optional() });

const refuse = (status_code: number, body: string) => ({ status_code, body: `${body}\n` });

/**
 * Resumable uploads (tus 1.0): a teacher's browser can lose the connection, reload, and
 * continue from the last byte the server has, through any web node when the uploads are
 * in the bucket (the lock is shared through Redis). Only the course's teachers may start
 * an upload to a lesson, and only its uploader may continue, read or delete it.
 */
export function createUploadServer({ store, locker, clientIp }: { store: UploadStore; locker: Locker; clientIp: (req: Request) => string }) {
  const { datastore } = store;
  return new Server({
    path: UPLOAD_PATH,
    datastore,
    locker,
    maxSize: MAX_UPLOAD_BYTES,
    relativeLocation: true,
    namingFunction: () => randomUUID(),
    async onIncomingRequest(req, uploadId) {
      if (req.method === 'POST') return; // onUploadCreate decides
      const user = await getCurrentUser(req);
      if (!user) throw refuse(401, 'Log in to continue this upload');
      const upload = await datastore.getUpload(uploadId).catch(() => null);
      if (upload && upload.metadata?.uploaderId !== user.id) throw refuse(403, 'This upload belongs to someone else');
    },
    async onUploadCreate(req, upload) {
      const user = await getCurrentUser(req);
      if (!user) throw refuse(401, 'Log in to upload');
      if (upload.size === undefined) throw refuse(400, 'Upload-Length is required');
      const meta = metadataSchema.safeParse(upload.metadata ?? {});
      if (!meta.success) throw refuse(400, 'Upload-Metadata must name the lessonId');
      const lesson = await findLesson(meta.data.lessonId);
      if (!lesson) throw refuse(404, 'No such lesson');
      if (!(await canTeachLesson(user, lesson))) {
        await recordAccessDenied(getServices().db, {
          userId: user.id,
          institutionId: lesson.institutionId,
          ip: clientIp(req),
          permission: 'studio:teach',
          method: req.method,
          path: UPLOAD_PATH,
          details: { lessonId: lesson.id },
        });
        throw refuse(403, 'Only the teachers of this course may upload to it');
      }
      return { metadata: { lessonId: lesson.id, filename: meta.data.filename ?? null, filetype: meta.data.filetype ?? null, uploaderId: user.id } };
    },
    async onUploadFinish(_req, upload) {
      const m = upload.metadata!;
      await createVideoFromUpload({ lessonId: m.lessonId!, uploadId: upload.id, uploadedBy: m.uploaderId!, filename: m.filename ?? null, bytes: upload.size! });
      return {};
    },
  });
}
