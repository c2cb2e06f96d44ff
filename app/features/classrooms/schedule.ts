import { z } from 'zod';

/** A `datetime-local` value read as China Standard Time (the province's clocks). */
const cstDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'errors.invalidChoice')
  .transform((v) => new Date(`${v}:00+08:00`));

export const scheduleSchema = z.object({
  intent: z.literal('schedule'),
  lessonId: z.string().uuid(),
  leadClassroomId: z.string().uuid(),
  receiverIds: z.array(z.string().uuid()).min(1).max(50),
  startsAt: cstDateTime,
  minutes: z.coerce.number().int().min(10).max(240),
  weeks: z.coerce.number().int().min(1).max(20),
  slides: z
    .string()
    .max(20_000)
    .default('')
    .transform((s) => s.split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 200)),
});

/** `2026-11-26T10:00` in China Standard Time, for a `datetime-local` default. */
export function cstInputValue(date: Date): string {
  return new Date(date.getTime() + 8 * 3600_000).toISOString().slice(0, 16);
}
