import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { and, asc, eq } from 'drizzle-orm';
import { lessonMaterials } from '../../../db/schema/index.js';
import { getEnv } from '../../env.server.js';
import { getServices } from '../../services.server.js';
import { detectMaterialKind, materialKinds, sanitiseMaterialName } from './materials.js';

export type LessonMaterial = { id: string; fileName: string; contentType: string; sizeBytes: number; createdAt: Date };
export type StoreOutcome = { kind: 'stored'; material: LessonMaterial } | { kind: 'too-big'; maxBytes: number } | { kind: 'forbidden-type' } | { kind: 'empty' };

// Ids are uuids checked by the callers, so these paths never leave MEDIA_ROOT.
const lessonDir = (lessonId: string) => path.join(getEnv().MEDIA_ROOT, 'materials', lessonId);
const materialFile = (lessonId: string, materialId: string) => path.join(lessonDir(lessonId), materialId);

export async function listLessonMaterials(lessonId: string): Promise<LessonMaterial[]> {
  return getServices()
    .db.select({ id: lessonMaterials.id, fileName: lessonMaterials.fileName, contentType: lessonMaterials.contentType, sizeBytes: lessonMaterials.sizeBytes, createdAt: lessonMaterials.createdAt })
    .from(lessonMaterials)
    .where(eq(lessonMaterials.lessonId, lessonId))
    .orderBy(asc(lessonMaterials.createdAt));
}

/**
 * Checks size and type (by content), then writes the file (atomically, under its id, never
 * under the uploaded name) and its row. Nothing is stored for a refused file.
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
    const target = materialFile(lessonId, row!.id);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(`${target}.part`, bytes);
    await rename(`${target}.part`, target);
    return { kind: 'stored' as const, material: row! };
  });
}

export async function deleteMaterial(lessonId: string, materialId: string): Promise<boolean> {
  const deleted = await getServices()
    .db.delete(lessonMaterials)
    .where(and(eq(lessonMaterials.id, materialId), eq(lessonMaterials.lessonId, lessonId)))
    .returning({ id: lessonMaterials.id });
  if (deleted.length === 0) return false;
  await rm(materialFile(lessonId, materialId), { force: true });
  return true;
}

/** After a lesson is deleted (its rows go by cascade): its files too. */
export async function deleteLessonMaterialFiles(lessonId: string): Promise<void> {
  await rm(lessonDir(lessonId), { recursive: true, force: true });
}

/** The material's row and a stream of its bytes, or null when it is not this lesson's. */
export async function openMaterial(lessonId: string, materialId: string) {
  const [row] = await getServices()
    .db.select({ fileName: lessonMaterials.fileName, contentType: lessonMaterials.contentType, sha256: lessonMaterials.sha256 })
    .from(lessonMaterials)
    .where(and(eq(lessonMaterials.id, materialId), eq(lessonMaterials.lessonId, lessonId)));
  if (!row) return null;
  const file = materialFile(lessonId, materialId);
  const size = await stat(file).then((s) => s.size).catch(() => null);
  if (size === null) return null;
  return { ...row, size, body: Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array> };
}
