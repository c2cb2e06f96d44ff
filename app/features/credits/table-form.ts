import type { ConversionDefinition } from '../../../db/schema/credits.js';
import { conversionDefinitionSchema } from './conversion.js';
import { parseHundredths } from './credit-units.js';

/** Reads the policy page's "new table" form: band lines `90=4.0=A`, a pass mark, an ECTS hours figure. */
export function definitionFromForm(input: { kind: string; bands?: string | undefined; passMark?: string | undefined; ects?: string | undefined }): ConversionDefinition | null {
  const ects = input.ects ? Number(input.ects) : undefined;
  let candidate: unknown;
  if (input.kind === 'bands') {
    const bands = (input.bands ?? '')
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean)
      .map((line) => {
        const [min, points, label] = line.split('=').map((p) => p.trim());
        return { minHundredths: parseHundredths(min ?? ''), pointsHundredths: parseHundredths(points ?? ''), label: label ?? '' };
      });
    if (bands.some((b) => b.minHundredths === null || b.pointsHundredths === null)) return null;
    candidate = { kind: 'bands', bands, ectsHoursPerCredit: ects };
  } else {
    const pass = parseHundredths(input.passMark ?? '');
    candidate = input.kind === 'formula' ? { kind: 'formula', formula: 'quadratic-4', passMarkHundredths: pass, ectsHoursPerCredit: ects } : { kind: 'pass-fail', passMarkHundredths: pass, ectsHoursPerCredit: ects };
  }
  const parsed = conversionDefinitionSchema.safeParse(candidate);
  return parsed.success ? parsed.data : null;
}
