import { and, asc, eq, sql } from 'drizzle-orm';
import type { Transaction as Tx } from '../../../db/client.js';
import { refreshCourseSearch } from '../../../db/course-search.js';
import { courseModules, courses, lessons } from '../../../db/schema/index.js';
import { getServices } from '../../services.server.js';
import { deleteLessonMaterialFiles } from './materials.server.js';
import { moveLesson, moveModule, outlinePositions, type Direction, type Outline } from './course-outline.js';

type Titles = { titleZh: string; titleEn?: string | undefined };
export type StructureOutcome = 'ok' | 'not-found' | 'not-empty' | 'cannot-move';

/**
 * Every structure change runs in a transaction holding the course row's lock, so two
 * teachers reordering at once are applied one after the other, never interleaved.
 */
async function withCourseLocked<T>(courseId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  return getServices().db.transaction(async (tx) => {
    await tx.select({ id: courses.id }).from(courses).where(eq(courses.id, courseId)).for('update');
    const result = await work(tx);
    await refreshCourseSearch(tx, courseId);
    return result;
  });
}

async function readOutline(tx: Tx, courseId: string): Promise<Outline> {
  const modules = await tx.select({ id: courseModules.id }).from(courseModules).where(eq(courseModules.courseId, courseId)).orderBy(asc(courseModules.position), asc(courseModules.createdAt));
  const rows = await tx.select({ id: lessons.id, moduleId: lessons.moduleId }).from(lessons).where(eq(lessons.courseId, courseId)).orderBy(asc(lessons.position), asc(lessons.createdAt));
  const outline: Outline = modules.map((m) => ({ moduleId: m.id, lessonIds: rows.filter((l) => l.moduleId === m.id).map((l) => l.id) }));
  const loose = rows.filter((l) => !outline.some((m) => m.moduleId === l.moduleId)).map((l) => l.id);
  return loose.length > 0 ? [...outline, { moduleId: null, lessonIds: loose }] : outline;
}

async function writeOutline(tx: Tx, outline: Outline): Promise<void> {
  const { modules, lessons: lessonPositions } = outlinePositions(outline);
  for (const m of modules) await tx.update(courseModules).set({ position: m.position }).where(eq(courseModules.id, m.moduleId));
  for (const l of lessonPositions) await tx.update(lessons).set({ position: l.position, moduleId: l.moduleId }).where(eq(lessons.id, l.lessonId));
}

export function addModule(courseId: string, titles: Titles): Promise<StructureOutcome> {
  return withCourseLocked(courseId, async (tx) => {
    const [last] = await tx.select({ max: sql<number>`coalesce(max(${courseModules.position}), 0)::int` }).from(courseModules).where(eq(courseModules.courseId, courseId));
    await tx.insert(courseModules).values({ courseId, position: (last?.max ?? 0) + 1, titleZh: titles.titleZh, titleEn: titles.titleEn ?? null });
    return 'ok' as const;
  });
}

export function renameModule(courseId: string, moduleId: string, titles: Titles): Promise<StructureOutcome> {
  return withCourseLocked(courseId, async (tx) => {
    const updated = await tx
      .update(courseModules)
      .set({ titleZh: titles.titleZh, titleEn: titles.titleEn ?? null })
      .where(and(eq(courseModules.id, moduleId), eq(courseModules.courseId, courseId)))
      .returning({ id: courseModules.id });
    return updated.length ? 'ok' : 'not-found';
  });
}

/** Only an empty module may be deleted: its lessons hold students' progress. */
export function deleteModule(courseId: string, moduleId: string): Promise<StructureOutcome> {
  return withCourseLocked(courseId, async (tx) => {
    const outline = await readOutline(tx, courseId);
    const mod = outline.find((m) => m.moduleId === moduleId);
    if (!mod) return 'not-found';
    if (mod.lessonIds.length > 0) return 'not-empty';
    await tx.delete(courseModules).where(eq(courseModules.id, moduleId));
    await writeOutline(tx, outline.filter((m) => m.moduleId !== moduleId));
    return 'ok';
  });
}

export function addLesson(courseId: string, moduleId: string, titles: Titles): Promise<StructureOutcome | { lessonId: string }> {
  return withCourseLocked(courseId, async (tx) => {
    const outline = await readOutline(tx, courseId);
    const mod = outline.find((m) => m.moduleId === moduleId);
    if (!mod) return 'not-found';
    const [created] = await tx
      .insert(lessons)
      .values({ courseId, moduleId, position: 0, titleZh: titles.titleZh, titleEn: titles.titleEn ?? null })
      .returning({ id: lessons.id });
    mod.lessonIds.push(created!.id);
    await writeOutline(tx, outline);
    return { lessonId: created!.id };
  });
}

export function renameLesson(courseId: string, lessonId: string, titles: Titles): Promise<StructureOutcome> {
  return withCourseLocked(courseId, async (tx) => {
    const updated = await tx
      .update(lessons)
      .set({ titleZh: titles.titleZh, titleEn: titles.titleEn ?? null, version: sql`${lessons.version} + 1`, updatedAt: new Date() })
      .where(and(eq(lessons.id, lessonId), eq(lessons.courseId, courseId)))
      .returning({ id: lessons.id });
    return updated.length ? 'ok' : 'not-found';
  });
}

/**
 * Shows a draft lesson to the course's students, or takes a lesson back to draft (its
 * students' progress is kept, but no longer counts until it is published again).
 */
export function setLessonDraft(courseId: string, lessonId: string, draft: boolean): Promise<StructureOutcome> {
  return withCourseLocked(courseId, async (tx) => {
    const updated = await tx
      .update(lessons)
      .set({ draft, updatedAt: new Date() })
      .where(and(eq(lessons.id, lessonId), eq(lessons.courseId, courseId)))
      .returning({ id: lessons.id });
    return updated.length ? 'ok' : 'not-found';
  });
}

/** Deletes the lesson (its progress, videos and materials go by cascade), then its material files. */
export async function deleteLesson(courseId: string, lessonId: string): Promise<StructureOutcome> {
  const outcome = await withCourseLocked(courseId, async (tx) => {
    const deleted = await tx.delete(lessons).where(and(eq(lessons.id, lessonId), eq(lessons.courseId, courseId))).returning({ id: lessons.id });
    if (deleted.length === 0) return 'not-found' as const;
    await writeOutline(tx, await readOutline(tx, courseId));
    return 'ok' as const;
  });
  if (outcome === 'ok') await deleteLessonMaterialFiles(lessonId);
  return outcome;
}

export function moveCourseModule(courseId: string, moduleId: string, direction: Direction): Promise<StructureOutcome> {
  return withCourseLocked(courseId, async (tx) => {
    const outline = await readOutline(tx, courseId);
    if (!outline.some((m) => m.moduleId === moduleId)) return 'not-found';
    const moved = moveModule(outline, moduleId, direction);
    if (!moved) return 'cannot-move';
    await writeOutline(tx, moved);
    return 'ok';
  });
}

export function moveCourseLesson(courseId: string, lessonId: string, direction: Direction): Promise<StructureOutcome> {
  return withCourseLocked(courseId, async (tx) => {
    const outline = await readOutline(tx, courseId);
    if (!outline.some((m) => m.lessonIds.includes(lessonId))) return 'not-found';
    const moved = moveLesson(outline, lessonId, direction);
    if (!moved) return 'cannot-move';
    await writeOutline(tx, moved);
    return 'ok';
  });
}
