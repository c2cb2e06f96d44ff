// Due dates are typed and shown in China Standard Time (UTC+8, no daylight saving), the
// province's clock, whatever the server's time zone; they are stored in UTC.
const CST_OFFSET_MS = 8 * 60 * 60 * 1000;

/** "2026-07-01T23:59" (a datetime-local value read as Beijing time) to an instant; null if malformed. */
export function fromChinaLocal(value: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const utc = Date.UTC(y, mo - 1, d, h, mi);
  const back = new Date(utc);
  // Date.UTC rolls 2026-02-30 over to March: refuse instead of guessing.
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59) return null;
  return new Date(utc - CST_OFFSET_MS);
}

/** An instant as a datetime-local value in Beijing time, to fill the form again. */
export function toChinaLocal(at: Date): string {
  return new Date(at.getTime() + CST_OFFSET_MS).toISOString().slice(0, 16);
}
