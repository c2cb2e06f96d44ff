import { describe, expect, it } from 'vitest';
import { moveLesson, moveModule, outlinePositions, type Outline } from './course-outline.js';

const outline: Outline = [
  { moduleId: 'm1', lessonIds: ['a', 'b'] },
  { moduleId: 'm2', lessonIds: ['c'] },
  { moduleId: 'm3', lessonIds: [] },
];
const shape = (o: Outline | null) => o?.map((m) => `${m.moduleId}:${m.lessonIds.join('')}`).join(' ');

describe('moveLesson', () => {
  it('swaps with a neighbour inside its module', () => {
    expect(shape(moveLesson(outline, 'b', 'up'))).toBe('m1:ba m2:c m3:');
    expect(shape(moveLesson(outline, 'a', 'down'))).toBe('m1:ba m2:c m3:');
  });

  it('crosses into the neighbouring module at the edges, including an empty one', () => {
    expect(shape(moveLesson(outline, 'b', 'down'))).toBe('m1:a m2:bc m3:');
    expect(shape(moveLesson(outline, 'c', 'up'))).toBe('m1:abc m2: m3:');
    expect(shape(moveLesson(outline, 'c', 'down'))).toBe('m1:ab m2: m3:c');
  });

  it('refuses to move past the ends of the course, and leaves the input unchanged', () => {
    expect(moveLesson(outline, 'a', 'up')).toBeNull();
    expect(moveLesson([{ moduleId: 'm1', lessonIds: ['a'] }], 'a', 'down')).toBeNull();
    expect(moveLesson(outline, 'zz', 'up')).toBeNull();
    moveLesson(outline, 'b', 'down');
    expect(shape(outline)).toBe('m1:ab m2:c m3:');
  });

  it('never moves a lesson into the group of lessons without a module', () => {
    expect(moveLesson([{ moduleId: 'm1', lessonIds: ['a'] }, { moduleId: null, lessonIds: ['x'] }], 'a', 'down')).toBeNull();
  });
});

describe('moveModule', () => {
  it('swaps modules, refusing at the ends', () => {
    expect(shape(moveModule(outline, 'm2', 'up'))).toBe('m2:c m1:ab m3:');
    expect(shape(moveModule(outline, 'm2', 'down'))).toBe('m1:ab m3: m2:c');
    expect(moveModule(outline, 'm1', 'up')).toBeNull();
    expect(moveModule(outline, 'm3', 'down')).toBeNull();
  });
});

describe('outlinePositions', () => {
  it('numbers modules and lessons in outline order, lessons across the whole course', () => {
    expect(outlinePositions(moveModule(outline, 'm2', 'up')!)).toEqual({
      modules: [
        { moduleId: 'm2', position: 1 },
        { moduleId: 'm1', position: 2 },
        { moduleId: 'm3', position: 3 },
      ],
      lessons: [
        { lessonId: 'c', moduleId: 'm2', position: 1 },
        { lessonId: 'a', moduleId: 'm1', position: 2 },
        { lessonId: 'b', moduleId: 'm1', position: 3 },
      ],
    });
  });
});
