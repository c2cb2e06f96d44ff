// Final grades without floating-point drift: scores, maxima and weights arrive as decimal
// strings with at most two places (PostgreSQL numeric), are held as integer hundredths,
// combined as exact fractions with BigInt, and rounded half-up to two places once.

export type GradedQuiz = {
  weight: string;
  /** Every submitted attempt, oldest first. */
  attempts: { score: string; maxScore: string }[];
};
export type AttemptScoring = 'best' | 'latest';

function hundredths(decimal: string): bigint {
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(decimal.trim());
  if (!match) throw new Error(`not a decimal with at most two places: ${decimal}`);
  const [, sign, whole, fraction = ''] = match;
  const value = BigInt(whole!) * 100n + BigInt(fraction.padEnd(2, '0'));
  return sign ? -value : value;
}

type Fraction = { n: bigint; d: bigint };
const add = (a: Fraction, b: Fraction): Fraction => ({ n: a.n * b.d + b.n * a.d, d: a.d * b.d });
const greater = (a: Fraction, b: Fraction) => a.n * b.d > b.n * a.d;

/** The fraction of the quiz's points the counted attempt earned (0 without an attempt). */
function quizFraction(quiz: GradedQuiz, scoring: AttemptScoring): Fraction {
  const fractions = quiz.attempts
    .map((a) => ({ n: hundredths(a.score), d: hundredths(a.maxScore) }))
    .filter((f) => f.d > 0n);
  if (fractions.length === 0) return { n: 0n, d: 1n };
  if (scoring === 'latest') return fractions[fractions.length - 1]!;
  return fractions.reduce((best, f) => (greater(f, best) ? f : best));
}

/**
 * The course's final grade in percent with two decimals ("87.50"): the weighted mean of
 * each quiz's counted attempt, a missing attempt counting as zero. Null when no quiz
 * carries weight (the course is then pass/complete only).
 */
export function finalGrade(quizzes: GradedQuiz[], scoring: AttemptScoring): string | null {
  const weighted = quizzes.filter((q) => hundredths(q.weight) > 0n);
  if (weighted.length === 0) return null;
  let sum: Fraction = { n: 0n, d: 1n };
  let totalWeight = 0n;
  for (const quiz of weighted) {
    const w = hundredths(quiz.weight);
    const f = quizFraction(quiz, scoring);
    sum = add(sum, { n: f.n * w, d: f.d });
    totalWeight += w;
  }
  // percent in hundredths = 10000 * sum / totalWeight, rounded half up.
  const num = 10000n * sum.n;
  const den = sum.d * totalWeight;
  const rounded = (2n * num + den) / (2n * den);
  return `${rounded / 100n}.${String(rounded % 100n).padStart(2, '0')}`;
}

/** Whether a grade (or a pass-only course's null) meets the pass mark. */
export function meetsPassGrade(grade: string | null, passGrade: string): boolean {
  return grade === null || hundredths(grade) >= hundredths(passGrade);
}

export type LessonParts = { hasVideo: boolean; hasText: boolean; hasQuiz: boolean };
export type LessonDone = { videoWatched: boolean; textViewed: boolean; quizSubmitted: boolean };

/** Something to do in the lesson: a video, text or a quiz. */
export function hasParts(parts: LessonParts): boolean {
  return parts.hasVideo || parts.hasText || parts.hasQuiz;
}

/**
 * A lesson is complete once each of its parts is: video ≥ 95 % watched, text viewed, quiz
 * submitted. A lesson without parts never is: there is nothing to have done.
 */
export function isLessonComplete(parts: LessonParts, done: LessonDone): boolean {
  if (!hasParts(parts)) return false;
  return (!parts.hasVideo || done.videoWatched) && (!parts.hasText || done.textViewed) && (!parts.hasQuiz || done.quizSubmitted);
}

/** The completion rule: every lesson complete and the final grade at or above the pass mark. */
export function isCourseComplete(input: { lessonCount: number; completedLessons: number; grade: string | null; passGrade: string }): boolean {
  return input.lessonCount > 0 && input.completedLessons >= input.lessonCount && meetsPassGrade(input.grade, input.passGrade);
}
