/**
 * A course's order: modules in sequence, each with its lessons. Moves are pure functions
 * on this outline; the server writes the result back as positions in one transaction.
 */
export type OutlineModule = { moduleId: string | null; lessonIds: string[] };
export type Outline = OutlineModule[];
export type Direction = 'up' | 'down';

/** Swaps a module with its neighbour; null when it is already first/last or unknown. */
export function moveModule(outline: Outline, moduleId: string, direction: Direction): Outline | null {
  const i = outline.findIndex((m) => m.moduleId === moduleId);
  const j = direction === 'up' ? i - 1 : i + 1;
  if (i < 0 || j < 0 || j >= outline.length || outline[j]!.moduleId === null) return null;
  const next = [...outline];
  [next[i], next[j]] = [next[j]!, next[i]!];
  return next;
}

/**
 * Moves a lesson one place. At the top of its module "up" moves it to the end of the
 * module before; at the bottom "down" moves it to the start of the next one. So the
 * two buttons alone can put any lesson anywhere. Null when there is nowhere to go.
 */
export function moveLesson(outline: Outline, lessonId: string, direction: Direction): Outline | null {
  const m = outline.findIndex((mod) => mod.lessonIds.includes(lessonId));
  if (m < 0) return null;
  const next = outline.map((mod) => ({ ...mod, lessonIds: [...mod.lessonIds] }));
  const lessonIds = next[m]!.lessonIds;
  const i = lessonIds.indexOf(lessonId);
  const j = direction === 'up' ? i - 1 : i + 1;
  if (j >= 0 && j < lessonIds.length) {
    [lessonIds[i], lessonIds[j]] = [lessonIds[j]!, lessonIds[i]!];
    return next;
  }
  const target = next[direction === 'up' ? m - 1 : m + 1];
  if (!target || target.moduleId === null) return null;
  lessonIds.splice(i, 1);
  if (direction === 'up') target.lessonIds.push(lessonId);
  else target.lessonIds.unshift(lessonId);
  return next;
}

/** Positions to store: modules 1..M, lessons 1..N across the course in outline order. */
export function outlinePositions(outline: Outline) {
  const modules = outline.filter((m) => m.moduleId !== null).map((m, i) => ({ moduleId: m.moduleId!, position: i + 1 }));
  const lessons = outline.flatMap((m) => m.lessonIds.map((lessonId) => ({ lessonId, moduleId: m.moduleId }))).map((l, i) => ({ ...l, position: i + 1 }));
  return { modules, lessons };
}
