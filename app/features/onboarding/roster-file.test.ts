import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { declaredUnzippedBytes, decodeCsv, isRosterFileError, readRosterFile, ROSTER_LIMITS } from './roster-file.js';

const enc = (s: string) => new TextEncoder().encode(s);

describe('readRosterFile', () => {
  it('reads UTF-8 with a BOM and GB18030 CSV alike', async () => {
    expect(decodeCsv(new Uint8Array([0xef, 0xbb, 0xbf, ...enc('学号')]))).toBe('学号');
    expect(decodeCsv(new Uint8Array([0xd1, 0xa7, 0xba, 0xc5]))).toBe('学号');
    const t = await readRosterFile('r.csv', enc('\ufeff学号,姓名\n\n1,甲\n'));
    expect(t).toEqual({ headers: ['学号', '姓名'], rows: [{ line: 3, cells: [{ value: '1', formula: false }, { value: '甲', formula: false }] }] });
  });

  it('refuses by size, type and row count before parsing', async () => {
    expect(await readRosterFile('r.csv', new Uint8Array(ROSTER_LIMITS.maxBytes + 1))).toEqual({ kind: 'too-big' });
    expect(await readRosterFile('r.exe', enc('a,b'))).toEqual({ kind: 'unsupported-type' });
    expect(await readRosterFile('r.xlsx', enc('a,b'))).toEqual({ kind: 'unsupported-type' });
    const many = ['a,b', ...Array.from({ length: ROSTER_LIMITS.maxRows + 1 }, (_, i) => `${i},x`)].join('\n');
    expect(await readRosterFile('r.csv', enc(many))).toEqual({ kind: 'too-many-rows' });
  });

  it('reads an XLSX: dates as YYYY-MM-DD, formulas flagged and not evaluated', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('s');
    ws.addRow(['external_id', 'name', 'birth_date']);
    ws.addRow(['1', { formula: '1+1', result: 2 }, new Date(Date.UTC(2012, 4, 3))]);
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    expect(declaredUnzippedBytes(bytes)).toBeGreaterThan(bytes.length);
    const t = await readRosterFile('r.xlsx', bytes);
    if (isRosterFileError(t)) throw new Error(t.kind);
    expect(t.rows[0]!.cells).toEqual([
      { value: '1', formula: false },
      { value: '', formula: true },
      { value: '2012-05-03', formula: false },
    ]);
  });

  it('refuses a zip whose declared contents exceed the unzipped cap, unopened', async () => {
    const bytes = new Uint8Array(await new ExcelJS.Workbook().xlsx.writeBuffer());
    const view = new DataView(bytes.buffer);
    // Inflate every central-directory entry's declared size.
    for (let i = 0; i + 4 < bytes.length; i++) if (view.getUint32(i, true) === 0x02014b50) view.setUint32(i + 24, ROSTER_LIMITS.maxUnzippedBytes, true);
    expect(await readRosterFile('bomb.xlsx', bytes)).toEqual({ kind: 'too-big' });
  });
});
