import { describe, expect, it } from 'vitest';
import { conversionDefinitionSchema, convertGrade, ectsTenths, standardBands, type ConversionDefinition } from './conversion.js';

describe('band tables', () => {
  it('puts band edges in the upper band and one hundredth below in the lower', () => {
    expect(convertGrade(standardBands, 9000)).toEqual({ ok: true, passed: true, pointsHundredths: 400, label: 'A' });
    expect(convertGrade(standardBands, 8999)).toMatchObject({ pointsHundredths: 300, label: 'B' });
    expect(convertGrade(standardBands, 6000)).toMatchObject({ pointsHundredths: 100, passed: true });
    expect(convertGrade(standardBands, 5999)).toMatchObject({ pointsHundredths: 0, passed: false, label: 'F' });
    expect(convertGrade(standardBands, 10000)).toMatchObject({ label: 'A' });
    expect(convertGrade(standardBands, 0)).toMatchObject({ label: 'F' });
  });

  it('refuses a grade outside 0–100 and a pass-only completion', () => {
    expect(convertGrade(standardBands, 10001)).toEqual({ ok: false, reason: 'grade-out-of-range' });
    expect(convertGrade(standardBands, -1)).toEqual({ ok: false, reason: 'grade-out-of-range' });
    expect(convertGrade(standardBands, 12.5)).toEqual({ ok: false, reason: 'grade-out-of-range' });
    expect(convertGrade(standardBands, null)).toEqual({ ok: false, reason: 'grade-required' });
  });
});

describe('formula tables: 4 − 3(100 − x)²/1600', () => {
  const formula: ConversionDefinition = { kind: 'formula', formula: 'quadratic-4', passMarkHundredths: 6000 };
  it('gives 4.00 at 100, 1.00 at the pass mark, 0 below it', () => {
    expect(convertGrade(formula, 10000)).toMatchObject({ pointsHundredths: 400, label: '4.00' });
    expect(convertGrade(formula, 6000)).toMatchObject({ pointsHundredths: 100, passed: true });
    expect(convertGrade(formula, 5999)).toMatchObject({ pointsHundredths: 0, passed: false });
  });
  it('rounds half up to two decimals with exact integers', () => {
    // 85: 4 − 3·225/1600 = 3.578125 → 3.58; 90: 4 − 300/1600 = 3.8125 → 3.81; 72.5: 4 − 3·756.25/1600 = 2.58203 → 2.58
    expect(convertGrade(formula, 8500)).toMatchObject({ pointsHundredths: 358 });
    expect(convertGrade(formula, 9000)).toMatchObject({ pointsHundredths: 381 });
    expect(convertGrade(formula, 7250)).toMatchObject({ pointsHundredths: 258 });
    expect(convertGrade(formula, 9999)).toMatchObject({ pointsHundredths: 400 });
  });
});

describe('pass/fail tables and ECTS', () => {
  const passFail: ConversionDefinition = { kind: 'pass-fail', passMarkHundredths: 6000, ectsHoursPerCredit: 25 };
  it('passes pass-only completions and grades at the mark', () => {
    expect(convertGrade(passFail, null)).toEqual({ ok: true, passed: true, pointsHundredths: null, label: 'P' });
    expect(convertGrade(passFail, 6000)).toMatchObject({ label: 'P' });
    expect(convertGrade(passFail, 5999)).toMatchObject({ label: 'F', passed: false });
  });
  it('maps class hours to ECTS credits only when the table says how', () => {
    expect(ectsTenths(passFail, 50)).toBe(20);
    expect(ectsTenths(standardBands, 50)).toBeNull();
  });
});

describe('table definitions are validated', () => {
  it('needs a band from 0 and distinct band edges', () => {
    expect(conversionDefinitionSchema.safeParse(standardBands).success).toBe(true);
    expect(conversionDefinitionSchema.safeParse({ kind: 'bands', bands: [{ minHundredths: 6000, pointsHundredths: 100, label: 'D' }] }).success).toBe(false);
    expect(
      conversionDefinitionSchema.safeParse({
        kind: 'bands',
        bands: [
          { minHundredths: 0, pointsHundredths: 0, label: 'F' },
          { minHundredths: 0, pointsHundredths: 100, label: 'D' },
        ],
      }).success,
    ).toBe(false);
    expect(conversionDefinitionSchema.safeParse({ kind: 'pass-fail', passMarkHundredths: 10001 }).success).toBe(false);
    expect(conversionDefinitionSchema.safeParse({ kind: 'pass-fail', passMarkHundredths: 6000, ectsHoursPerCredit: 40 }).success).toBe(false);
  });
});
