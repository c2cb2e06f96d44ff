import { describe, expect, it } from 'vitest';
import { gradeAttempt, isCorrect, normaliseText, parseNumericAnswer, sameGrading, type GradableItem } from './grade-items.js';

const single: GradableItem = { id: 's', points: '1', answerKey: { kind: 'single', optionId: 'o2' } };
const multiple: GradableItem = { id: 'm', points: '2.5', answerKey: { kind: 'multiple', optionIds: ['o1', 'o3'] } };
const numeric: GradableItem = { id: 'n', points: '0.25', answerKey: { kind: 'numeric', value: 5, tolerance: 0.01 } };
const text: GradableItem = { id: 't', points: '3', answerKey: { kind: 'text', accepted: ['欠定方程组', 'Underdetermined'] } };

describe('single choice', () => {
  it('is right only with the one correct option', () => {
    expect(isCorrect(single.answerKey, { itemId: 's', optionIds: ['o2'] })).toBe(true);
    expect(isCorrect(single.answerKey, { itemId: 's', optionIds: ['o1'] })).toBe(false);
    expect(isCorrect(single.answerKey, { itemId: 's', optionIds: ['o2', 'o1'] })).toBe(false);
    expect(isCorrect(single.answerKey, { itemId: 's', optionIds: [] })).toBe(false);
    expect(isCorrect(single.answerKey, undefined)).toBe(false);
  });
});

describe('multiple choice', () => {
  it('needs exactly the right set, in any order, no more and no fewer', () => {
    expect(isCorrect(multiple.answerKey, { itemId: 'm', optionIds: ['o3', 'o1'] })).toBe(true);
    expect(isCorrect(multiple.answerKey, { itemId: 'm', optionIds: ['o1'] })).toBe(false);
    expect(isCorrect(multiple.answerKey, { itemId: 'm', optionIds: ['o1', 'o2', 'o3'] })).toBe(false);
    expect(isCorrect(multiple.answerKey, { itemId: 'm', optionIds: [] })).toBe(false);
  });
});

describe('numeric', () => {
  it('accepts answers within the tolerance, inclusive, and refuses those outside', () => {
    for (const v of ['5', '5.01', '4.99', ' 5.0 ', '+5', '５', '10/2', '5e0']) expect(isCorrect(numeric.answerKey, { itemId: 'n', value: v }), v).toBe(true);
    for (const v of ['5.02', '4.98', '-5', '', 'five']) expect(isCorrect(numeric.answerKey, { itemId: 'n', value: v }), v).toBe(false);
  });

  it('does not lose a right answer to binary floating point', () => {
    expect(isCorrect({ kind: 'numeric', value: 0.3, tolerance: 0 }, { itemId: 'n', value: '0.3' })).toBe(true);
    expect(isCorrect({ kind: 'numeric', value: 0.3, tolerance: 0.1 }, { itemId: 'n', value: '0.4' })).toBe(true);
    expect(isCorrect({ kind: 'numeric', value: 0.3, tolerance: 0.1 }, { itemId: 'n', value: '0.41' })).toBe(false);
  });

  it('parses what students type and refuses what is not a number', () => {
    expect(parseNumericAnswer('−2.5')).toBe(-2.5);
    expect(parseNumericAnswer('.5')).toBe(0.5);
    expect(parseNumericAnswer('1/4')).toBe(0.25);
    expect(parseNumericAnswer('1/0')).toBeNull();
    expect(parseNumericAnswer('1,000')).toBeNull();
    expect(parseNumericAnswer('0x10')).toBeNull();
    expect(parseNumericAnswer('Infinity')).toBeNull();
  });
});

describe('short text', () => {
  it('matches an accepted answer after trimming, NFKC and case folding', () => {
    for (const v of ['欠定方程组', '  欠定方程组 ', 'underdetermined', 'UNDERDETERMINED', 'ｕｎｄｅｒｄｅｔｅｒｍｉｎｅｄ']) {
      expect(isCorrect(text.answerKey, { itemId: 't', value: v }), v).toBe(true);
    }
  });

  it('is otherwise an exact match: no partial or fuzzy credit', () => {
    for (const v of ['欠定', '欠定方程', 'under determined', '', '   ']) expect(isCorrect(text.answerKey, { itemId: 't', value: v }), v).toBe(false);
  });

  it('folds inner runs of space to one', () => {
    expect(normaliseText(' Row  \t Echelon ')).toBe('row echelon');
  });
});

describe('a whole attempt', () => {
  const items = [single, multiple, numeric, text];

  it('adds the points of right answers exactly and reports every item', () => {
    const graded = gradeAttempt(items, [
      { itemId: 's', optionIds: ['o2'] },
      { itemId: 'm', optionIds: ['o1'] },
      { itemId: 'n', value: '5' },
      { itemId: 't', value: 'underdetermined' },
    ]);
    expect(graded.score).toBe('4.25');
    expect(graded.maxScore).toBe('6.75');
    expect(graded.results).toEqual([
      { itemId: 's', correct: true, points: 1, maxPoints: 1 },
      { itemId: 'm', correct: false, points: 0, maxPoints: 2.5 },
      { itemId: 'n', correct: true, points: 0.25, maxPoints: 0.25 },
      { itemId: 't', correct: true, points: 3, maxPoints: 3 },
    ]);
  });

  it('scores unanswered items as zero and ignores responses to items not in the quiz', () => {
    const graded = gradeAttempt(items, [{ itemId: 'elsewhere', optionIds: ['o2'] }]);
    expect(graded.score).toBe('0.00');
    expect(graded.results.every((r) => !r.correct)).toBe(true);
  });

  it('sums many fractional points without drift', () => {
    const many = Array.from({ length: 10 }, (_, i) => ({ id: `i${i}`, points: '0.1', answerKey: { kind: 'single' as const, optionId: 'a' } }));
    const graded = gradeAttempt(many, many.map((i) => ({ itemId: i.id, optionIds: ['a'] })));
    expect([graded.score, graded.maxScore]).toEqual(['1.00', '1.00']);
  });
});

describe('comparing a stored grading with a fresh one (regrading)', () => {
  const items = [single, numeric];
  const responses = [{ itemId: 's', optionIds: ['o2'] }, { itemId: 'n', value: '5' }];

  it('calls a grading read back from jsonb (keys reordered, numeric scores padded) unchanged', () => {
    const fresh = gradeAttempt(items, responses);
    const stored = JSON.parse(JSON.stringify({
      score: '1.25', maxScore: '1.250',
      results: fresh.results.map((r) => ({ points: r.points, itemId: r.itemId, correct: r.correct, maxPoints: r.maxPoints })),
    }));
    expect(sameGrading(stored, fresh)).toBe(true);
  });

  it('sees a changed answer key, changed points and an added item', () => {
    const before = gradeAttempt(items, responses);
    expect(sameGrading(before, gradeAttempt([{ ...single, answerKey: { kind: 'single', optionId: 'o1' } }, numeric], responses))).toBe(false);
    expect(sameGrading(before, gradeAttempt([{ ...single, points: '2' }, numeric], responses))).toBe(false);
    expect(sameGrading(before, gradeAttempt([...items, text], responses))).toBe(false);
  });
});
