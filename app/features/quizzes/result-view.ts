import type { Locale } from '../../../db/schema/identity.js';
import type { QuizItem, QuizItemResult, QuizOption, QuizResponse } from '../../../db/schema/courses.js';

/** A text in the reader's language: the English one when asked for and given, else the Chinese. */
export function localised(locale: Locale, zh: string, en: string | null | undefined): string {
  return locale === 'en' && en ? en : zh;
}

/** What a student may see of an item before answering: never its answer key or feedback. */
export type ItemToAnswer = { id: string; kind: QuizItem['kind']; promptZh: string; promptEn: string | null; points: string; options: QuizOption[] };

export function itemToAnswer(item: QuizItem): ItemToAnswer {
  return { id: item.id, kind: item.kind, promptZh: item.promptZh, promptEn: item.promptEn, points: item.points, options: item.options };
}

export type ResultRow = {
  item: ItemToAnswer;
  correct: boolean;
  points: number;
  maxPoints: number;
  /** The student's answer: chosen options (both languages) or the text typed. */
  answer: { zh: string; en?: string | undefined }[];
  feedbackZh: string;
  feedbackEn: string | null;
};

/** Per-item results of an attempt beside the items as they are now (items deleted since are left out). */
export function resultRows(items: readonly QuizItem[], results: readonly QuizItemResult[], responses: readonly QuizResponse[]): ResultRow[] {
  const resultOf = new Map(results.map((r) => [r.itemId, r]));
  const responseOf = new Map(responses.map((r) => [r.itemId, r]));
  return items.flatMap((item) => {
    const result = resultOf.get(item.id);
    if (!result) return [];
    const response = responseOf.get(item.id);
    const answer =
      item.kind === 'single' || item.kind === 'multiple'
        ? (response?.optionIds ?? []).flatMap((id) => {
            const o = item.options.find((x) => x.id === id);
            return o ? [{ zh: o.labelZh, en: o.labelEn }] : [];
          })
        : response?.value
          ? [{ zh: response.value }]
          : [];
    return [{ item: itemToAnswer(item), correct: result.correct, points: result.points, maxPoints: result.maxPoints, answer, feedbackZh: item.feedbackZh, feedbackEn: item.feedbackEn }];
  });
}

/** A score as a percentage with one decimal, for display only (the grade itself is exact). */
export function percentOf(score: string, maxScore: string): string {
  const max = Number(maxScore);
  return max > 0 ? (Math.round((Number(score) / max) * 1000) / 10).toString() : '0';
}
