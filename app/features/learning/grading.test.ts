import { describe, expect, it } from 'vitest';
import { finalGrade, hasParts, isCourseComplete, isLessonComplete, meetsPassGrade } from './grading.js';

describe('finalGrade', () => {
  it('is the weighted mean of each quiz, in percent with two decimals', () => {
    const grade = finalGrade(
      [
        { weight: '1', attempts: [{ score: '8', maxScore: '10' }] },
        { weight: '3', attempts: [{ score: '45', maxScore: '50' }] },
      ],
      'best',
    );
    // (0.8 * 1 + 0.9 * 3) / 4 = 0.875
    expect(grade).toBe('87.50');
  });

  it('counts the best or the latest attempt, as the course says', () => {
    const quiz = { weight: '1', attempts: [{ score: '9', maxScore: '10' }, { score: '6', maxScore: '10' }] };
    expect(finalGrade([quiz], 'best')).toBe('90.00');
    expect(finalGrade([quiz], 'latest')).toBe('60.00');
  });

  it('counts a quiz never attempted as zero', () => {
    expect(finalGrade([{ weight: '1', attempts: [{ score: '10', maxScore: '10' }] }, { weight: '1', attempts: [] }], 'best')).toBe('50.00');
  });

  it('rounds half up exactly, where floating point would not', () => {
    // 2/3 of 100 = 66.666… -> 66.67; 1/8 = 12.5 exactly; 0.1 + 0.2 weights stay exact.
    expect(finalGrade([{ weight: '1', attempts: [{ score: '2', maxScore: '3' }] }], 'best')).toBe('66.67');
    expect(finalGrade([{ weight: '0.1', attempts: [{ score: '1', maxScore: '1' }] }, { weight: '0.2', attempts: [{ score: '0.5', maxScore: '1' }] }], 'best')).toBe('66.67');
    expect(finalGrade([{ weight: '1', attempts: [{ score: '0.01', maxScore: '0.08' }] }], 'best')).toBe('12.50');
    expect(finalGrade([{ weight: '1', attempts: [{ score: '1', maxScore: '200' }] }], 'best')).toBe('0.50');
  });

  it('is null when no quiz carries weight (a pass-only course)', () => {
    expect(finalGrade([], 'best')).toBeNull();
    expect(finalGrade([{ weight: '0', attempts: [{ score: '1', maxScore: '1' }] }], 'best')).toBeNull();
  });

  it('refuses a malformed decimal instead of guessing', () => {
    expect(() => finalGrade([{ weight: '1e3', attempts: [] }], 'best')).toThrow(/decimal/);
  });
});

describe('completion rules', () => {
  const none = { videoWatched: false, textViewed: false, quizSubmitted: false };
  it('needs every part of a lesson that it has', () => {
    const parts = { hasVideo: true, hasText: true, hasQuiz: true };
    expect(isLessonComplete(parts, { ...none, videoWatched: true, textViewed: true })).toBe(false);
    expect(isLessonComplete(parts, { ...none, videoWatched: true, textViewed: true, quizSubmitted: true })).toBe(true);
    expect(isLessonComplete({ hasVideo: false, hasText: true, hasQuiz: false }, { ...none, textViewed: true })).toBe(true);
    expect(isLessonComplete({ hasVideo: true, hasText: false, hasQuiz: false }, { ...none, textViewed: true })).toBe(false);
  });
  it('never completes a lesson without parts, whatever is claimed done', () => {
    const empty = { hasVideo: false, hasText: false, hasQuiz: false };
    expect(hasParts(empty)).toBe(false);
    expect(isLessonComplete(empty, none)).toBe(false);
    expect(isLessonComplete(empty, { videoWatched: true, textViewed: true, quizSubmitted: true })).toBe(false);
    expect(hasParts({ ...empty, hasQuiz: true })).toBe(true);
  });
  it('completes a course when every lesson is complete and the grade passes', () => {
    expect(isCourseComplete({ lessonCount: 3, completedLessons: 3, grade: '60.00', passGrade: '60' })).toBe(true);
    expect(isCourseComplete({ lessonCount: 3, completedLessons: 3, grade: '59.99', passGrade: '60' })).toBe(false);
    expect(isCourseComplete({ lessonCount: 3, completedLessons: 2, grade: '100.00', passGrade: '60' })).toBe(false);
    expect(isCourseComplete({ lessonCount: 2, completedLessons: 2, grade: null, passGrade: '60' })).toBe(true);
    expect(isCourseComplete({ lessonCount: 0, completedLessons: 0, grade: null, passGrade: '60' })).toBe(false);
  });
  it('compares grades exactly', () => {
    expect(meetsPassGrade('60.00', '60')).toBe(true);
    expect(meetsPassGrade('59.99', '60.00')).toBe(false);
  });
});
