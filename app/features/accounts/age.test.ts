import { describe, expect, it } from 'vitest';
import { ageOn, chinaToday, isPlausibleBirthDate } from './age.js';

describe('age', () => {
  it('counts whole years, the birthday itself included', () => {
    expect(ageOn('2012-12-07', '2026-12-06')).toBe(13);
    expect(ageOn('2012-12-06', '2026-12-06')).toBe(14);
    expect(ageOn('2012-11-30', '2026-12-06')).toBe(14);
    expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
    expect(ageOn('2008-02-29', '2026-03-01')).toBe(18);
  });

  it('takes the day as it is in China', () => {
    expect(chinaToday(new Date('2026-12-06T16:30:00Z'))).toBe('2026-12-07');
    expect(chinaToday(new Date('2026-12-06T15:59:00Z'))).toBe('2026-12-06');
  });

  it('accepts only real past dates', () => {
    expect(isPlausibleBirthDate('2000-02-29', '2026-12-06')).toBe(true);
    expect(isPlausibleBirthDate('2001-02-29', '2026-12-06')).toBe(false);
    expect(isPlausibleBirthDate('2027-01-01', '2026-12-06')).toBe(false);
    expect(isPlausibleBirthDate('1899-12-31', '2026-12-06')).toBe(false);
    expect(isPlausibleBirthDate('06/12/2000', '2026-12-06')).toBe(false);
  });
});
