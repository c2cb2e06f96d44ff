import { z } from 'zod';
import { quizItemKinds, type QuizAnswerKey, type QuizOption } from '../../../db/schema/courses.js';
import { messageWith } from '../i18n/i18n.js';
import { fromChinaLocal } from './china-time.js';

// The quiz builder's forms (one schema, discriminated by `intent`), shared by the page
// that renders them and the action that reads them. No JavaScript is needed: an item's
// options are numbered rows (`options[0].labelZh`…), the right ones ticked in `correct`.

export const MAX_OPTIONS = 8;
export const MAX_PROMPT = 2000;
export const MAX_OPTION_LABEL = 300;

const decimal2 = (max: number, key: 'quiz.errors.points' | 'quiz.errors.weight' | 'quiz.errors.passGrade') =>
  z
    .string({ required_error: 'errors.required' })
    .trim()
    .regex(/^\d{1,4}(\.\d{1,2})?$/, key)
    .refine((v) => Number(v) <= max, key);
const text = (max: number) => z.string().trim().max(max, messageWith('errors.tooLong', { max }));
const optionalText = (max: number) => text(max).optional();

const settingsSchema = z.object({
  intent: z.literal('settings'),
  attemptsAllowed: z
    .number({
      required_error: 'errors.required',
      invalid_type_error: 'quiz.errors.attempts',
    })
    .int('quiz.errors.attempts')
    .min(1, 'quiz.errors.attempts')
    .max(100, 'quiz.errors.attempts'),
  dueAt: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      const at = fromChinaLocal(v);
      if (!at) ctx.addIssue({ code: 'custom', message: 'quiz.errors.dueAt' });
      return at;
    }),
  weight: decimal2(9999.99, 'quiz.errors.weight'),
});

const policySchema = z.object({
  intent: z.literal('policy'),
  attemptScoring: z.enum(['best', 'latest'], {
    errorMap: () => ({ message: 'errors.invalidChoice' }),
  }),
  passGrade: decimal2(100, 'quiz.errors.passGrade'),
});

const optionRow = z.object({
  id: z
    .string()
    .regex(/^o\d{1,3}$/)
    .optional(),
  labelZh: optionalText(MAX_OPTION_LABEL),
  labelEn: optionalText(MAX_OPTION_LABEL),
});

const itemFields = z.object({
  intent: z.literal('save-item'),
  itemId: z.string().uuid().optional(),
  /** The version the teacher edited (absent for a new question). */
  version: z.number().int().min(1).optional(),
  kind: z.enum(quizItemKinds, {
    errorMap: () => ({ message: 'errors.invalidChoice' }),
  }),
  promptZh: text(MAX_PROMPT).min(1, 'errors.required'),
  promptEn: optionalText(MAX_PROMPT),
  points: decimal2(9999.99, 'quiz.errors.points').refine((v) => Number(v) > 0, 'quiz.errors.points'),
  feedbackZh: optionalText(MAX_PROMPT),
  feedbackEn: optionalText(MAX_PROMPT),
  options: z.array(optionRow).max(MAX_OPTIONS).default([]),
  correct: z
    .array(
      z
        .number()
        .int()
        .min(0)
        .max(MAX_OPTIONS - 1)
    )
    .max(MAX_OPTIONS)
    .default([]),
  answerValue: z.number({ invalid_type_error: 'quiz.errors.notANumber' }).finite().optional(),
  tolerance: z.number({ invalid_type_error: 'quiz.errors.notANumber' }).finite().min(0, 'quiz.errors.tolerance').optional(),
  accepted: optionalText(MAX_PROMPT),
});
type ItemForm = z.infer<typeof itemFields>;

const itemSchema = itemFields.transform((form, ctx) => {
  const answerKey = answerKeyOf(form, ctx);
  return {
    itemId: form.itemId,
    version: form.version,
    kind: form.kind,
    promptZh: form.promptZh,
    promptEn: form.promptEn || null,
    points: form.points,
    feedbackZh: form.feedbackZh ?? '',
    feedbackEn: form.feedbackEn || null,
    options: answerKey ? answerKey.options : [],
    answerKey: answerKey?.key ?? null,
  };
});

/** Options with stable ids (kept when edited, the next free `oN` when new); blank rows dropped. */
function numberOptions(rows: ItemForm['options']): { option: QuizOption; row: number }[] {
  let next = Math.max(0, ...rows.map((r) => (r.id ? Number(r.id.slice(1)) : 0))) + 1;
  return rows.flatMap((r, row) => {
    if (!r.labelZh) return [];
    const id = r.id ?? `o${next++}`;
    return [
      {
        option: {
          id,
          labelZh: r.labelZh,
          ...(r.labelEn ? { labelEn: r.labelEn } : {}),
        },
        row,
      },
    ];
  });
}

function answerKeyOf(form: ItemForm, ctx: z.RefinementCtx): { options: QuizOption[]; key: QuizAnswerKey } | null {
  const fail = (path: string, message: string) => {
    ctx.addIssue({ code: 'custom', path: [path], message });
    return null;
  };
  if (form.kind === 'single' || form.kind === 'multiple') {
    const numbered = numberOptions(form.options);
    if (numbered.length < 2) return fail('options', 'quiz.errors.twoOptions');
    if (new Set(numbered.map((n) => n.option.id)).size !== numbered.length) return fail('options', 'errors.formInvalid');
    const right = numbered.filter((n) => form.correct.includes(n.row)).map((n) => n.option.id);
    const options = numbered.map((n) => n.option);
    if (form.kind === 'single') return right.length === 1 ? { options, key: { kind: 'single', optionId: right[0]! } } : fail('correct', 'quiz.errors.oneCorrect');
    return right.length >= 1 ? { options, key: { kind: 'multiple', optionIds: right } } : fail('correct', 'quiz.errors.someCorrect');
  }
  if (form.kind === 'numeric') {
    if (form.answerValue === undefined) return fail('answerValue', 'errors.required');
    return {
      options: [],
      key: {
        kind: 'numeric',
        value: form.answerValue,
        tolerance: form.tolerance ?? 0,
      },
    };
  }
  const accepted = [
    ...new Set(
      (form.accepted ?? '')
        .split('\n')
        .map((a) => a.trim())
        .filter(Boolean)
    ),
  ];
  if (accepted.length === 0) return fail('accepted', 'quiz.errors.accepted');
  return { options: [], key: { kind: 'text', accepted } };
}

const itemRef = { itemId: z.string().uuid() };

export const builderSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('create') }),
  settingsSchema,
  policySchema,
  z.object({ intent: z.literal('remove-item'), ...itemRef }),
  z.object({
    intent: z.literal('move-item'),
    ...itemRef,
    direction: z.enum(['up', 'down']),
  }),
  z.object({ intent: z.literal('delete-quiz') }),
  z.object({ intent: z.literal('regrade') }),
]);

export { itemSchema as quizItemSchema };
export type SavedItem = z.output<typeof itemSchema>;
