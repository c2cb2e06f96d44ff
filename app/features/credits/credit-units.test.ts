import { describe, expect, it } from 'vitest';
import { creditTenthsFromHours, formatCreditTenths, formatHundredths, parseCreditTenths, parseHundredths, sumTenths } from './credit-units.js';

describe('exact credit arithmetic', () => {
  it('parses numeric column strings into integer tenths and back', () => {
    expect(parseCreditTenths('3.5')).toBe(35);
    expect(parseCreditTenths('2')).toBe(20);
    expect(parseCreditTenths('0.1')).toBe(1);
    expect(parseCreditTenths('4.50')).toBe(45);
    expect(formatCreditTenths(35)).toBe('3.5');
    expect(formatCreditTenths(0)).toBe('0.0');
  });

  it('refuses what is not an exact decimal of that precision', () => {
    expect(parseCreditTenths('3.25')).toBeNull();
    expect(parseCreditTenths('-1')).toBeNull();
    expect(parseCreditTenths('1e2')).toBeNull();
    expect(parseCreditTenths('abc')).toBeNull();
    expect(parseHundredths('87.255')).toBeNull();
  });

  it('adds 0.1 ten times to exactly 1.0 (floats give 0.9999999999999999)', () => {
    const tenths = Array.from({ length: 10 }, () => parseCreditTenths('0.1')!);
    expect(formatCreditTenths(sumTenths(tenths))).toBe('1.0');
  });

  it('grades keep two decimals', () => {
    expect(parseHundredths('87.25')).toBe(8725);
    expect(parseHundredths('100')).toBe(10000);
    expect(formatHundredths(5999)).toBe('59.99');
  });

  it('class hours to credits at 16 hours per credit, half up to a tenth', () => {
    expect(creditTenthsFromHours(32, 16)).toBe(20);
    expect(creditTenthsFromHours(40, 16)).toBe(25);
    expect(creditTenthsFromHours(17, 16)).toBe(11); // 1.0625 → 1.1
    expect(creditTenthsFromHours(15, 16)).toBe(9); // 0.9375 → 0.9
    expect(creditTenthsFromHours(60, 25)).toBe(24);
  });
});
