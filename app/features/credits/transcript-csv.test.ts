import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from './transcript-csv.js';

describe('transcript CSV', () => {
  it('quotes commas, quotes and newlines', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField(null)).toBe('');
  });
  it('defuses spreadsheet formulas', () => {
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('-1')).toBe(`"'-1"`);
  });
  it('starts with a BOM and ends rows with CRLF', () => {
    expect(toCsv([['a', 1], ['线性代数', '3.0']])).toBe('\ufeffa,1\r\n线性代数,3.0\r\n');
  });
});
