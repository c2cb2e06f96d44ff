// Credits are integer tenths and grades integer hundredths: numeric(4,1) and numeric(5,2)
// columns arrive as strings and are parsed here, so no float ever adds up a transcript.

const decimalPattern = /^(\d{1,6})(?:\.(\d+))?$/;

function parseFixed(value: string, places: number): number | null {
  const m = decimalPattern.exec(value.trim());
  if (!m) return null;
  const fraction = m[2] ?? '';
  if (fraction.length > places && /[1-9]/.test(fraction.slice(places))) return null;
  return Number(m[1]) * 10 ** places + Number(fraction.slice(0, places).padEnd(places, '0'));
}

function formatFixed(units: number, places: number): string {
  const scale = 10 ** places;
  const sign = units < 0 ? '-' : '';
  const abs = Math.abs(units);
  return `${sign}${Math.floor(abs / scale)}.${String(abs % scale).padStart(places, '0')}`;
}

/** "3.5" → 35; null when not a plain decimal with at most one significant decimal. */
export const parseCreditTenths = (value: string): number | null => parseFixed(value, 1);
export const formatCreditTenths = (tenths: number): string => formatFixed(tenths, 1);

/** "87.25" → 8725; null when not a plain decimal with at most two significant decimals. */
export const parseHundredths = (value: string): number | null => parseFixed(value, 2);
export const formatHundredths = (hundredths: number): string => formatFixed(hundredths, 2);

/** Class hours to credits at `hoursPerCredit`, rounded half up to a tenth (exact integer maths). */
export function creditTenthsFromHours(classHours: number, hoursPerCredit: number): number {
  return Math.floor((classHours * 10 * 2 + hoursPerCredit) / (hoursPerCredit * 2));
}

export function sumTenths(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
