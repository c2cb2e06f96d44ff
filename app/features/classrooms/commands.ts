import { z } from 'zod';
import { attendanceModes } from '../../../db/schema/classrooms.js';
import { messageWith } from '../i18n/i18n.js';

// One schema per form; the console and screen pages post them as plain forms (without
// JavaScript) and their scripts post the same fields with fetch.
const seconds = z.coerce.number().min(0).max(24 * 3600);

export const teacherCommandSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('start') }),
  z.object({ intent: z.literal('end') }),
  z.object({ intent: z.literal('play') }),
  z.object({ intent: z.literal('pause') }),
  z.object({ intent: z.literal('seek'), position: seconds }),
  z.object({ intent: z.literal('slide'), slide: z.coerce.number().int().min(0).max(999) }),
  /** "Go to page n" as people count pages (from 1); works as a plain form. */
  z.object({ intent: z.literal('slide-page'), page: z.coerce.number().int().min(1).max(1000) }),
  z.object({ intent: z.literal('wait'), on: z.enum(['0', '1']).transform((v) => v === '1') }),
  z.object({
    intent: z.literal('poll-open'),
    question: z.string().trim().min(1, 'errors.required').max(200, messageWith('errors.tooLong', { max: 200 })),
    options: z
      .string()
      .transform((s) => s.split('\n').map((l) => l.trim()).filter(Boolean))
      .pipe(z.array(z.string().max(80)).min(2, 'classroom.poll.needOptions').max(6, 'classroom.poll.needOptions')),
  }),
  z.object({ intent: z.literal('poll-close'), pollId: z.string().uuid() }),
  z.object({ intent: z.literal('question-mark'), questionId: z.string().uuid(), answered: z.enum(['0', '1']).transform((v) => v === '1') }),
  z.object({ intent: z.literal('hand-lower'), classroomId: z.string().uuid() }),
]);
export type TeacherCommand = z.infer<typeof teacherCommandSchema>;

const count = z.coerce.number().int().min(0).max(500);

export const screenCommandSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('ask'), body: z.string().trim().min(1, 'errors.required').max(500, messageWith('errors.tooLong', { max: 500 })), clientKey: z.string().min(8).max(64) }),
  z.object({ intent: z.literal('hand'), raised: z.enum(['0', '1']).transform((v) => v === '1') }),
  z.object({ intent: z.literal('poll-answer'), pollId: z.string().uuid(), counts: z.array(count).min(1).max(6) }),
  z.object({ intent: z.literal('attendance'), mode: z.enum(attendanceModes), pupilIds: z.array(z.string().uuid()).max(200).default([]), headcount: count.optional() }),
  z.object({
    intent: z.literal('status'),
    rttMs: z.coerce.number().min(0).max(60_000).optional(),
    bufferSeconds: z.coerce.number().min(0).max(3600).optional(),
    driftMs: z.coerce.number().min(-86_400_000).max(86_400_000).optional(),
    rung: z.string().max(16).optional(),
    buffering: z.enum(['0', '1']).transform((v) => v === '1'),
  }),
]);
export type ScreenCommand = z.infer<typeof screenCommandSchema>;

/**
 * How far ahead a change is scheduled: above the p99 fan-out to a thousand screens
 * (bench:classroom) plus a rural link's one-way delay, so every screen hears of it
 * before the instant and all switch together.
 */
export const COMMAND_LEAD_MS = 600;
