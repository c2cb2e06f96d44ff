import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';

import { ROSTER_LIMITS } from './roster-limits.js';

export { ROSTER_LIMITS };

export type RosterCell = { value: string; formula: boolean };
export type RosterTable = { headers: string[]; rows: { line: number; cells: RosterCell[] }[] };
export type RosterFileError = { kind: 'too-big' | 'empty' | 'too-many-rows' | 'too-many-columns' | 'unreadable' | 'unsupported-type' };

const xlsxMagic = [0x50, 0x4b, 0x03, 0x04];

export function rosterFileKind(fileName: string, bytes: Uint8Array): 'csv' | 'xlsx' | null {
  const looksZip = xlsxMagic.every((b, i) => bytes[i] === b);
  if (/\.xlsx$/i.test(fileName)) return looksZip ? 'xlsx' : null;
  if (/\.(csv|txt)$/i.test(fileName)) return looksZip ? null : 'csv';
  return null;
}

/** UTF-8 (with or without BOM); otherwise GB18030, which is what Excel in China saves CSV as. */
export function decodeCsv(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/**
 * The sum of the uncompressed sizes the zip's central directory declares, or null if it has
 * none. Checked before the workbook is opened, so a small zip bomb is refused unopened.
 */
export function declaredUnzippedBytes(bytes: Uint8Array): number | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-central-directory record is in the last 64 KB + 22 bytes.
  for (let eocd = bytes.length - 22; eocd >= Math.max(0, bytes.length - 65_557); eocd--) {
    if (view.getUint32(eocd, true) !== 0x06054b50) continue;
    const entries = view.getUint16(eocd + 10, true);
    let at = view.getUint32(eocd + 16, true);
    let total = 0;
    for (let i = 0; i < entries; i++) {
      if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50) return null;
      const size = view.getUint32(at + 24, true);
      if (size === 0xffffffff) return Number.POSITIVE_INFINITY; // zip64: far beyond any roster
      total += size;
      at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    }
    return total;
  }
  return null;
}

const clip = (s: string) => s.replace(/\s+/g, ' ').trim();

function tableFrom(grid: RosterCell[][], firstLine = 1): RosterTable | RosterFileError {
  const nonEmpty = grid.map((cells, i) => ({ line: firstLine + i, cells })).filter((r) => r.cells.some((c) => c.value !== ''));
  if (nonEmpty.length === 0) return { kind: 'empty' };
  const [header, ...rows] = nonEmpty;
  if (rows.length === 0) return { kind: 'empty' };
  if (rows.length > ROSTER_LIMITS.maxRows) return { kind: 'too-many-rows' };
  if (header!.cells.length > ROSTER_LIMITS.maxColumns) return { kind: 'too-many-columns' };
  return { headers: header!.cells.map((c) => clip(c.value)), rows };
}

export function readCsv(bytes: Uint8Array): RosterTable | RosterFileError {
  let records: string[][];
  try {
    records = parseCsv(decodeCsv(bytes), { bom: true, relax_column_count: true, skip_empty_lines: false, max_record_size: ROSTER_LIMITS.maxCellChars * ROSTER_LIMITS.maxColumns * 4 });
  } catch {
    return { kind: 'unreadable' };
  }
  if (records.length > ROSTER_LIMITS.maxRows + 1) return { kind: 'too-many-rows' };
  if (records.some((r) => r.length > ROSTER_LIMITS.maxColumns)) return { kind: 'too-many-columns' };
  // A CSV has no formulas; a cell that starts like one is flagged so it never reaches a spreadsheet as one.
  return tableFrom(records.map((r) => r.map((value) => ({ value: clip(value), formula: /^[=+@]/.test(value.trim()) }))));
}

function cellText(cell: ExcelJS.Cell): RosterCell {
  const v = cell.value;
  if (v === null || v === undefined) return { value: '', formula: false };
  if (typeof v === 'object' && ('formula' in v || 'sharedFormula' in v)) return { value: '', formula: true };
  if (v instanceof Date) return { value: v.toISOString().slice(0, 10), formula: false };
  if (typeof v === 'object' && 'richText' in v) return { value: clip(v.richText.map((r) => r.text).join('')), formula: false };
  if (typeof v === 'object' && 'text' in v) return { value: clip(String(v.text)), formula: false };
  if (typeof v === 'object') return { value: '', formula: false };
  return { value: clip(String(v)), formula: false };
}

/** The first worksheet's cells as text; formulas are never evaluated (their cells are flagged). */
export async function readXlsx(bytes: Uint8Array): Promise<RosterTable | RosterFileError> {
  const unzipped = declaredUnzippedBytes(bytes);
  if (unzipped === null) return { kind: 'unreadable' };
  if (unzipped > ROSTER_LIMITS.maxUnzippedBytes) return { kind: 'too-big' };
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch {
    return { kind: 'unreadable' };
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return { kind: 'empty' };
  if (sheet.rowCount > ROSTER_LIMITS.maxRows + 1) return { kind: 'too-many-rows' };
  if (sheet.columnCount > ROSTER_LIMITS.maxColumns) return { kind: 'too-many-columns' };
  const grid: RosterCell[][] = [];
  for (let r = 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const cells: RosterCell[] = [];
    for (let c = 1; c <= sheet.columnCount; c++) cells.push(cellText(row.getCell(c)));
    grid.push(cells);
  }
  return tableFrom(grid);
}

export async function readRosterFile(fileName: string, bytes: Uint8Array): Promise<RosterTable | RosterFileError> {
  if (bytes.length === 0) return { kind: 'empty' };
  if (bytes.length > ROSTER_LIMITS.maxBytes) return { kind: 'too-big' };
  const kind = rosterFileKind(fileName, bytes);
  if (kind === 'csv') return readCsv(bytes);
  if (kind === 'xlsx') return readXlsx(bytes);
  return { kind: 'unsupported-type' };
}

export function isRosterFileError(x: RosterTable | RosterFileError): x is RosterFileError {
  return 'kind' in x;
}
