import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { and, asc, eq } from 'drizzle-orm';
import { lessonMaterials } from '../../../db/schema/index.js';
import { getEnv } from '../../env.server.js';
import { getServices } from '../../services.server.js';
import { getMediaStorage } from '../learning/media-storage.server.js';
import { detectMaterialKind, materialKinds, sanitiseMaterialName } from './materials.js';

export type LessonMaterial = { id: string; fileName: string; contentType: string; sizeBytes: number; createdAt: Date };
export type StoreOutcome = { kind: 'stored'; material: LessonMaterial } | { kind: 'too-big'; maxBytes: number } | { kind: 'forbidden-type' } | { kind: 'empty' };

// Materials live in the media storage (MEDIA_STORAGE: a folder under MEDIA_ROOT, or the
// bucket every web node shares), under their ids, never their uploaded names. The ids are
// uuids checked by the callers; the storage checks every key again.
const lessonPrefix = (lessonId: string) => `materials/${lessonId}/`;
const materialKey = (lessonId: string, materialId: string) => `${lessonPrefix(lessonId)}${materialId}`;

export async function listLessonMaterials(lessonId: string): Promise<LessonMaterial[]> {
  return getServices()
    .db.select({ id: lessonMaterials.id, fileName: lessonMaterials.fileName, contentType: lessonMaterials.contentType, sizeBytes: lessonMaterials.sizeBytes, createdAt: lessonMaterials.createdAt })
    .from(lessonMaterials)
    .where(eq(lessonMaterials.lessonId, lessonId))
    .orderBy(asc(lessonMaterials.createdAt));
}

/**
 * Checks size and type (by content), then stores the file (whole or not at all, under its
 * id, never under the uploaded name) and its row: the row is committed only once the file
 * is stored. Nothing is stored for a refused file.
 */
export async function storeMaterial(lessonId: string, uploadedBy: string, file: File): Promise<StoreOutcome> {
  const maxBytes = getEnv().MATERIAL_MAX_BYTES;
  if (file.size > maxBytes) return { kind: 'too-big', maxBytes };
  if (file.size === 0) return { kind: 'empty' };
  const bytes = new Uint8Array(await file.arrayBuffer());
  const kind = detectMaterialKind(bytes);
  if (!kind) return { kind: 'forbidden-type' };
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const { db } = getServices();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(lessonMaterials)
      .values({ lessonId, uploadedBy, fileName: sanitiseMaterialName(file.name, kind), contentType: materialKinds[kind].contentType, sizeBytes: bytes.length, sha256 })
      .returning({ id: lessonMaterials.id, fileName: lessonMaterials.fileName, contentType: lessonMaterials.contentType, sizeBytes: lessonMaterials.sizeBytes, createdAt: lessonMaterials.createdAt });
    await getMediaStorage().put(materialKey(lessonId, row!.id), Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return { kind: 'stored' as const, material: row! };
  });
}

export async function deleteMaterial(lessonId: string, materialId: string): Promise<boolean> {
  const deleted = await getServices()
    .db.delete(lessonMaterials)
    .where(and(eq(lessonMaterials.id, materialId), eq(lessonMaterials.lessonId, lessonId)))
    .returning({ id: lessonMaterials.id });
  if (deleted.length === 0) return false;
  await getMediaStorage().remove([materialKey(lessonId, materialId)]);
  return true;
}

/** After a lesson is deleted (its rows go by cascade): its files too. */
export async function deleteLessonMaterialFiles(lessonId: string): Promise<void> {
  await getMediaStorage().removePrefix(lessonPrefix(lessonId));
}

/** The material's row and a stream of its bytes, or null when it is not this lesson's. */
export async function openMaterial(lessonId: string, materialId: string) {
  const [row] = await getServices()
    .db.select({ fileName: lessonMaterials.fileName, contentType: lessonMaterials.contentType, sha256: lessonMaterials.sha256 })
    .from(lessonMaterials)
    .where(and(eq(lessonMaterials.id, materialId), eq(lessonMaterials.lessonId, lessonId)));
  if (!row) return null;
  const stored = await getMediaStorage().read(materialKey(lessonId, materialId));
  if (!stored) return null;
  return { ...row, size: stored.size, body: Readable.toWeb(stored.body) as ReadableStream<Uint8Array> };
}
