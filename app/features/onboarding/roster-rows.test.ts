import { describe, expect, it } from 'vitest';
import type { RosterTable } from './roster-file.js';
import { ageOn, mapHeaders, validateRoster } from './roster-rows.js';

const table = (headers: string[], ...rows: string[][]): RosterTable => ({
  headers,
  rows: rows.map((cells, i) => ({ line: i + 2, cells: cells.map((value) => ({ value, formula: value.startsWith('=') })) })),
});

describe('ageOn', () => {
  it('counts whole years, the birthday itself included', () => {
    expect(ageOn('2012-12-06', '2026-12-06')).toBe(14);
    expect(ageOn('2012-12-07', '2026-12-06')).toBe(13);
  });
});

describe('mapHeaders', () => {
  it('reads Chinese and English headers and names unknown or repeated ones', () => {
    const { columns, issues } = mapHeaders(['学号', 'Name', '班级', '备注', 'class']);
    expect(columns).toEqual({ externalId: 0, name: 1, className: 2 });
    expect(issues).toEqual([
      { line: 1, column: '备注', reason: 'roster.error.unknownColumn' },
      { line: 1, column: 'class', reason: 'roster.error.duplicateColumn' },
    ]);
  });
});

describe('validateRoster', () => {
  const today = '2026-12-06';
  it('needs the columns of its kind', () => {
    expect(validateRoster(table(['学号', '姓名'], ['1', '甲']), 'pupil', today).issues.map((i) => i.column)).toEqual(['class', 'birth_date']);
  });

  it('requires a guardian and consent for a pupil under 14, not for an older one', () => {
    const t = table(['学号', '姓名', '班级', '出生日期', '监护人', '监护人关系', '监护人同意'], ['1', '甲', '一班', '2016-01-01', '', '', ''], ['2', '乙', '一班', '2010-01-01', '', '', ''], ['3', '丙', '一班', '2016-01-01', '丁', '母亲', '是']);
    const { rows, issues } = validateRoster(t, 'pupil', today);
    expect(issues.map((i) => [i.line, i.reason])).toEqual([
      [2, 'roster.error.guardianRequired'],
      [2, 'roster.error.guardianRequired'],
      [2, 'roster.error.consentRequired'],
    ]);
    expect(rows.map((r) => [r.externalId, r.guardian])).toEqual([
      ['2', null],
      ['3', { name: '丁', relation: '母亲' }],
    ]);
  });

  it('flags impossible dates, bad addresses, duplicates and same-named pupils in one class', () => {
    const t = table(['external_id', 'name', 'email', 'class', 'birth_date'], ['a', '甲', 'a@x.cn', '一班', '2010-02-30'], ['b', '乙', 'not-mail', '一班', '2010-01-01'], ['a', '甲', 'A@x.cn', '一班', '2010-01-01']);
    expect(validateRoster(t, 'pupil', today).issues.map((i) => [i.line, i.column, i.reason])).toEqual([
      [2, 'birth_date', 'roster.error.date'],
      [3, 'email', 'roster.error.email'],
      [4, 'external_id', 'roster.error.duplicate'],
      [4, 'email', 'roster.error.duplicate'], // addresses compare case-insensitively
      [4, 'name', 'roster.error.duplicate'],
    ]);
  });

  it('reports a formula cell once, as a formula', () => {
    const { issues } = validateRoster(table(['external_id', 'name'], ['a', '=1+1']), 'student', today);
    expect(issues).toEqual([{ line: 2, column: 'name', reason: 'roster.error.formula' }]);
  });
});
