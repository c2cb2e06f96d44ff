import type { QuizAnswerKey, QuizItemResult, QuizResponse } from '../../../db/schema/courses.js';

// Auto-grading of quiz items, pure. Points arrive as PostgreSQL numeric strings with at
// most two places; sums are kept in integer hundredths so a score never drifts.

export type GradableItem = { id: string; answerKey: QuizAnswerKey; points: string };

function hundredths(points: string): number {
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(points.trim());
  if (!match) throw new Error(`points must be a non-negative decimal with at most two places: ${points}`);
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

function decimal(h: number): string {
  return `${Math.floor(h / 100)}.${String(h % 100).padStart(2, '0')}`;
}

/** Full-width digits and letters folded to ASCII, case folded, outer space trimmed, inner runs collapsed. */
export function normaliseText(s: string): string {
  return s.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * A number as a student types it: "5", "-2.5", ".5", "1e3", "１２" (full width), "1/3".
 * Null for anything else (the form refuses it before an attempt is spent).
 */
export function parseNumericAnswer(raw: string): number | null {
  const s = raw.normalize('NFKC').trim().replace(/\s+/g, '').replace(/−/g, '-');
  const plain = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;
  if (plain.test(s)) return Number(s);
  const fraction = /^([+-]?\d+)\/(\d+)$/.exec(s);
  if (fraction && Number(fraction[2]) !== 0) return Number(fraction[1]) / Number(fraction[2]);
  return null;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
}

/** Whether a response is right: single = the one option, multiple = exactly the right set. */
export function isCorrect(key: QuizAnswerKey, response: QuizResponse | undefined): boolean {
  if (!response) return false;
  switch (key.kind) {
    case 'single':
      return response.optionIds?.length === 1 && response.optionIds[0] === key.optionId;
    case 'multiple':
      return (response.optionIds?.length ?? 0) > 0 && sameSet(response.optionIds!, key.optionIds);
    case 'numeric': {
      const given = response.value === undefined ? null : parseNumericAnswer(response.value);
      if (given === null) return false;
      // A relative epsilon so 0.1 + 0.2 style binary drift never turns a right answer wrong.
      const slack = 1e-9 * Math.max(1, Math.abs(key.value));
      return Math.abs(given - key.value) <= key.tolerance + slack;
    }
    case 'text': {
      if (response.value === undefined) return false;
      const given = normaliseText(response.value);
      return given !== '' && key.accepted.some((a) => normaliseText(a) === given);
    }
  }
}

export type GradedAttempt = { results: QuizItemResult[]; score: string; maxScore: string };

/** Every item graded, all or nothing per item; responses to unknown items are ignored. */
export function gradeAttempt(items: readonly GradableItem[], responses: readonly QuizResponse[]): GradedAttempt {
  const byItem = new Map(responses.map((r) => [r.itemId, r]));
  let score = 0;
  let maxScore = 0;
  const results = items.map((item) => {
    const max = hundredths(item.points);
    const correct = isCorrect(item.answerKey, byItem.get(item.id));
    const earned = correct ? max : 0;
    score += earned;
    maxScore += max;
    return { itemId: item.id, correct, points: earned / 100, maxPoints: max / 100 };
  });
  return { results, score: decimal(score), maxScore: decimal(maxScore) };
}

/**
 * Whether a stored grading equals a fresh one, field by field: the stored results come back
 * from jsonb with their keys reordered, so comparing serialised JSON would call every attempt
 * changed. Scores compare as numbers ('1.0' and '1.00' are the same grade).
 */
export function sameGrading(stored: GradedAttempt, fresh: GradedAttempt): boolean {
  if (Number(stored.score) !== Number(fresh.score) || Number(stored.maxScore) !== Number(fresh.maxScore)) return false;
  if (stored.results.length !== fresh.results.length) return false;
  return stored.results.every((r, i) => {
    const f = fresh.results[i]!;
    return r.itemId === f.itemId && r.correct === f.correct && Number(r.points) === Number(f.points) && Number(r.maxPoints) === Number(f.maxPoints);
  });
}
