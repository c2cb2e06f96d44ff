import { z } from 'zod';
import type { QuizItemKind, QuizOption, QuizResponse } from '../../../db/schema/courses.js';
import { parseNumericAnswer } from './grade-items.js';

// The quiz-taking form. Each item's answer travels as `answer-<itemId>` (radio, checkboxes
// or a text box), beside `attemptNo`: the attempt the page offered, so a double-clicked or
// replayed submission cannot become a second attempt.

export type ItemForForm = {
  id: string;
  kind: QuizItemKind;
  options: QuizOption[];
};
export const MAX_TEXT_ANSWER = 500;

export function answerField(itemId: string): string {
  return `answer-${itemId}`;
}

function itemAnswerSchema(item: ItemForForm) {
  const known = new Set(item.options.map((o) => o.id));
  const choice = z.string().refine((id) => known.has(id), 'quiz.errors.unknownOption');
  switch (item.kind) {
    case 'single':
      return z.array(choice).max(1, 'quiz.errors.oneOption');
    case 'multiple':
      return z
        .array(choice)
        .max(item.options.length, 'quiz.errors.unknownOption')
        .refine((ids) => new Set(ids).size === ids.length, 'quiz.errors.unknownOption');
    case 'numeric':
      return z
        .string()
        .max(50, 'quiz.errors.notANumber')
        .refine((v) => parseNumericAnswer(v) !== null, 'quiz.errors.notANumber')
        .optional();
    case 'text':
      return z.string().max(MAX_TEXT_ANSWER, 'quiz.errors.textTooLong').optional();
  }
}

/** One schema per quiz: its items' answer fields, and the attempt number offered. */
export function quizResponseSchema(items: readonly ItemForForm[]) {
  return z
    .object({
      attemptNo: z
        .number({
          required_error: 'errors.formInvalid',
          invalid_type_error: 'errors.formInvalid',
        })
        .int()
        .min(1)
        .max(100),
      ...Object.fromEntries(items.map((item) => [answerField(item.id), itemAnswerSchema(item)])),
    })
    .transform((form) => ({
      attemptNo: form.attemptNo,
      responses: items.map((item): QuizResponse => {
        const answer = (form as Record<string, unknown>)[answerField(item.id)];
        if (item.kind === 'single' || item.kind === 'multiple')
          return {
            itemId: item.id,
            optionIds: (answer as string[] | undefined) ?? [],
          };
        return answer === undefined ? { itemId: item.id } : { itemId: item.id, value: answer as string };
      }),
    }));
}
