import { z } from 'zod';
import { courseLanguages, courseLevels, courseSubjects, enrolmentPolicies } from '../../../db/schema/courses.js';
import { messageWith } from '../i18n/i18n.js';

const required = (max: number) => z.string({ required_error: 'errors.required' }).trim().min(1, 'errors.required').max(max, messageWith('errors.tooLong', { max }));
const optional = (max: number) => z.string().trim().max(max, messageWith('errors.tooLong', { max })).optional();
const choice = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { errorMap: () => ({ message: 'errors.invalidChoice' }) });
const id = z.string().uuid();

export const createCourseSchema = z.object({
  intent: z.literal('create'),
  institutionId: z.string({ required_error: 'errors.required' }).uuid('errors.invalidChoice'),
  titleZh: required(120),
  titleEn: optional(200),
});

/** Credits are exact: digits with at most one decimal (numeric(4,1)), never a float. */
export const creditsPattern = /^\d{1,3}(\.\d)?$/;
const passGradePattern = /^\d{1,3}(\.\d{1,2})?$/;

export const courseMetadataSchema = z.object({
  intent: z.literal('metadata'),
  titleZh: required(120),
  titleEn: optional(200),
  summaryZh: optional(300),
  summaryEn: optional(400),
  descriptionZh: optional(5000),
  descriptionEn: optional(8000),
  prerequisitesZh: optional(1000),
  prerequisitesEn: optional(1500),
  subject: choice(courseSubjects),
  level: choice(courseLevels),
  language: choice(courseLanguages),
  credits: z.string({ required_error: 'errors.required' }).trim().regex(creditsPattern, 'studio.course.creditsFormat'),
  classHours: z.coerce.number({ required_error: 'errors.required', invalid_type_error: 'studio.course.wholeNumber' }).int('studio.course.wholeNumber').min(0, 'studio.course.wholeNumber').max(2000, 'studio.course.wholeNumber'),
  enrolmentPolicy: choice(enrolmentPolicies),
  partners: z.array(id).max(200).default([]),
  passGrade: z
    .string({ required_error: 'errors.required' })
    .trim()
    .regex(passGradePattern, 'studio.course.passGradeFormat')
    .refine((v) => Number(v) <= 100, 'studio.course.passGradeFormat'),
  attemptScoring: choice(['best', 'latest'] as const),
});
export type CourseMetadata = z.infer<typeof courseMetadataSchema>;

const titles = { titleZh: required(120), titleEn: optional(200) };
const direction = z.enum(['up', 'down']);

export const courseEditSchema = z.discriminatedUnion('intent', [
  courseMetadataSchema,
  z.object({ intent: z.literal('publish') }),
  z.object({ intent: z.literal('unpublish') }),
  z.object({ intent: z.literal('add-module'), ...titles }),
  z.object({ intent: z.literal('rename-module'), moduleId: id, ...titles }),
  z.object({ intent: z.literal('delete-module'), moduleId: id }),
  z.object({ intent: z.literal('move-module'), moduleId: id, direction }),
  z.object({ intent: z.literal('add-lesson'), moduleId: id, ...titles }),
  z.object({ intent: z.literal('rename-lesson'), lessonId: id, ...titles }),
  z.object({ intent: z.literal('delete-lesson'), lessonId: id }),
  z.object({ intent: z.literal('move-lesson'), lessonId: id, direction }),
  z.object({ intent: z.literal('publish-lesson'), lessonId: id }),
  z.object({ intent: z.literal('draft-lesson'), lessonId: id }),
]);
export type CourseEdit = z.infer<typeof courseEditSchema>;

export const lessonTextSchema = z.object({
  version: z.coerce.number().int().positive(),
  bodyZh: z.string().max(50_000, messageWith('errors.tooLong', { max: 50_000 })).default(''),
  bodyEn: z.string().max(50_000, messageWith('errors.tooLong', { max: 50_000 })).optional(),
});
