import { z } from 'zod';
import type { ConversionDefinition } from '../../../db/schema/credits.js';
import { creditTenthsFromHours } from './credit-units.js';

export type { ConversionDefinition };

export type Conversion =
  | { ok: true; passed: boolean; pointsHundredths: number | null; label: string }
  | { ok: false; reason: 'grade-out-of-range' | 'grade-required' };

const hundredths = z.number().int().min(0).max(10000);

export const conversionDefinitionSchema: z.ZodType<ConversionDefinition> = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('bands'),
      bands: z
        .array(z.object({ minHundredths: hundredths, pointsHundredths: z.number().int().min(0).max(500), label: z.string().min(1).max(20) }))
        .min(1)
        .max(20)
        .refine((b) => b.some((x) => x.minHundredths === 0), 'credits.table.needsZeroBand')
        .refine((b) => new Set(b.map((x) => x.minHundredths)).size === b.length, 'credits.table.duplicateBand'),
      ectsHoursPerCredit: z.number().int().min(25).max(30).optional(),
    }),
    z.object({ kind: z.literal('formula'), formula: z.literal('quadratic-4'), passMarkHundredths: hundredths, ectsHoursPerCredit: z.number().int().min(25).max(30).optional() }),
    z.object({ kind: z.literal('pass-fail'), passMarkHundredths: hundredths, ectsHoursPerCredit: z.number().int().min(25).max(30).optional() }),
  ]);

/**
 * 4 − 3(100 − x)²/1600 for x ≥ the pass mark (the quadratic GPA formula several Chinese
 * universities use), else 0. In hundredths: 400 − 3(10000 − X)²/160000, rounded half up.
 */
function quadraticPoints(gradeHundredths: number): number {
  const gap = 10000 - gradeHundredths;
  const loss = 3 * gap * gap; // ≤ 3e8: exact in a double
  return 400 - Math.floor((loss * 2 + 160000) / (160000 * 2));
}

/**
 * Converts a final grade (percent, integer hundredths; null = pass-only completion) with a
 * table. A pass-only completion converts under pass/fail tables only: numeric tables need a grade.
 */
export function convertGrade(definition: ConversionDefinition, gradeHundredths: number | null): Conversion {
  if (gradeHundredths !== null && (!Number.isInteger(gradeHundredths) || gradeHundredths < 0 || gradeHundredths > 10000)) {
    return { ok: false, reason: 'grade-out-of-range' };
  }
  if (definition.kind === 'pass-fail') {
    const passed = gradeHundredths === null || gradeHundredths >= definition.passMarkHundredths;
    return { ok: true, passed, pointsHundredths: null, label: passed ? 'P' : 'F' };
  }
  if (gradeHundredths === null) return { ok: false, reason: 'grade-required' };
  if (definition.kind === 'formula') {
    const passed = gradeHundredths >= definition.passMarkHundredths;
    const points = passed ? quadraticPoints(gradeHundredths) : 0;
    return { ok: true, passed, pointsHundredths: points, label: (points / 100).toFixed(2) };
  }
  const band = [...definition.bands].sort((a, b) => b.minHundredths - a.minHundredths).find((b) => gradeHundredths >= b.minHundredths)!;
  return { ok: true, passed: band.pointsHundredths > 0, pointsHundredths: band.pointsHundredths, label: band.label };
}

/** ECTS credits (tenths) for a course's class hours, when the table maps to ECTS. */
export function ectsTenths(definition: ConversionDefinition, classHours: number): number | null {
  return definition.ectsHoursPerCredit ? creditTenthsFromHours(classHours, definition.ectsHoursPerCredit) : null;
}

/** The common Chinese five-band table (优 良 中 及格 不及格 on 4.0 points). */
export const standardBands: ConversionDefinition = {
  kind: 'bands',
  bands: [
    { minHundredths: 9000, pointsHundredths: 400, label: 'A' },
    { minHundredths: 8000, pointsHundredths: 300, label: 'B' },
    { minHundredths: 7000, pointsHundredths: 200, label: 'C' },
    { minHundredths: 6000, pointsHundredths: 100, label: 'D' },
    { minHundredths: 0, pointsHundredths: 0, label: 'F' },
  ],
};
