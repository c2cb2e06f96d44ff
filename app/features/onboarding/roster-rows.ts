import { z } from 'zod';
import type { RosterKind } from '../../../db/schema/onboarding.js';
import type { RosterTable } from './roster-file.js';

/** Which version of the guardian notice a school's recorded consent covers. */
export const GUARDIAN_NOTICE_VERSION = '2026-12-guardian-v1';
/** PIPL art. 28/31: personal information of a child under 14 is sensitive and needs a guardian's consent. */
export const GUARDIAN_CONSENT_AGE = 14;

export const rosterFields = ['externalId', 'name', 'email', 'className', 'birthDate', 'guardianName', 'guardianRelation', 'guardianConsent'] as const;
export type RosterField = (typeof rosterFields)[number];

// Headers as a school office writes them, in either language.
const headerAliases: Record<RosterField, string[]> = {
  externalId: ['external_id', 'student_number', 'student number', 'id', '学号', '学籍号', '编号'],
  name: ['name', '姓名'],
  email: ['email', 'e-mail', '邮箱', '电子邮箱'],
  className: ['class', '班级'],
  birthDate: ['birth_date', 'birth date', 'date of birth', '出生日期'],
  guardianName: ['guardian_name', 'guardian', '监护人', '监护人姓名'],
  guardianRelation: ['guardian_relation', 'relation', '监护人关系', '关系'],
  guardianConsent: ['guardian_consent', 'consent', '监护人同意'],
};

export type RosterIssue = { line: number; column: string; reason: string; params?: Record<string, string | number> };

export type RosterRow = {
  line: number;
  externalId: string;
  name: string;
  email: string | null;
  className: string | null;
  birthDate: string | null;
  guardian: { name: string; relation: string } | null;
};

const required = (max: number) => z.string().min(1, 'roster.error.required').max(max, 'roster.error.tooLong');
const optional = (max: number) => z.string().max(max, 'roster.error.tooLong');
const isIsoDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
const anEmail = z.string().email();
const yes = ['yes', 'y', 'true', '1', '是', '同意', '已同意'];

const cellsSchema = z.object({
  externalId: required(40).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'roster.error.externalId'),
  name: required(80),
  email: z
    .string()
    .max(254, 'roster.error.tooLong')
    .refine((s) => s === '' || anEmail.safeParse(s).success, 'roster.error.email'),
  className: optional(40),
  birthDate: z.string().refine((s) => s === '' || isIsoDate(s), 'roster.error.date'),
  guardianName: optional(80),
  guardianRelation: optional(20),
  guardianConsent: optional(10),
});

/** Age in whole years on `today` (both YYYY-MM-DD). */
export function ageOn(birthDate: string, today: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

export function mapHeaders(headers: string[]): { columns: Partial<Record<RosterField, number>>; issues: RosterIssue[] } {
  const columns: Partial<Record<RosterField, number>> = {};
  const issues: RosterIssue[] = [];
  headers.forEach((h, i) => {
    const field = rosterFields.find((f) => headerAliases[f].includes(h.toLowerCase()));
    if (!field) {
      if (h !== '') issues.push({ line: 1, column: h, reason: 'roster.error.unknownColumn' });
    } else if (columns[field] !== undefined) issues.push({ line: 1, column: h, reason: 'roster.error.duplicateColumn' });
    else columns[field] = i;
  });
  return { columns, issues };
}

const requiredColumns: Record<RosterKind, RosterField[]> = { student: ['externalId', 'name'], pupil: ['externalId', 'name', 'className', 'birthDate'] };

/**
 * Every row checked on its own (zod) and against the rest of the file; an issue names the
 * line as the spreadsheet shows it, the column as the file names it, and a message key.
 */
export function validateRoster(table: RosterTable, kind: RosterKind, today: string): { rows: RosterRow[]; issues: RosterIssue[] } {
  const { columns, issues } = mapHeaders(table.headers);
  const missing = requiredColumns[kind].filter((f) => columns[f] === undefined);
  for (const f of missing) issues.push({ line: 1, column: headerAliases[f][0]!, reason: 'roster.error.missingColumn' });
  if (missing.length) return { rows: [], issues };
  const columnName = (f: RosterField) => (columns[f] !== undefined ? table.headers[columns[f]]! : headerAliases[f][0]!);
  const rows: RosterRow[] = [];
  const seen = { externalId: new Map<string, number>(), email: new Map<string, number>(), classAndName: new Map<string, number>() };
  for (const { line, cells } of table.rows) {
    const rowIssues: RosterIssue[] = [];
    const raw = Object.fromEntries(rosterFields.map((f) => [f, columns[f] !== undefined ? (cells[columns[f]]?.value ?? '') : ''])) as Record<RosterField, string>;
    const formulas = rosterFields.filter((f) => columns[f] !== undefined && cells[columns[f]]?.formula);
    for (const f of formulas) rowIssues.push({ line, column: columnName(f), reason: 'roster.error.formula' });
    const parsed = cellsSchema.safeParse(raw);
    if (!parsed.success) {
      // A formula cell reads as empty; its one issue is the formula.
      for (const e of parsed.error.issues) if (!formulas.includes(e.path[0] as RosterField)) rowIssues.push({ line, column: columnName(e.path[0] as RosterField), reason: e.message });
    }
    const v = raw;
    if (kind === 'pupil' && v.className === '') rowIssues.push({ line, column: columnName('className'), reason: 'roster.error.required' });
    if (kind === 'pupil' && v.birthDate === '') rowIssues.push({ line, column: columnName('birthDate'), reason: 'roster.error.required' });
    const child = parsed.success && v.birthDate !== '' && ageOn(v.birthDate, today) < GUARDIAN_CONSENT_AGE;
    if (child && kind === 'student') rowIssues.push({ line, column: columnName('birthDate'), reason: 'roster.error.childAtUniversity' });
    if (child && kind === 'pupil') {
      if (v.guardianName === '') rowIssues.push({ line, column: columnName('guardianName'), reason: 'roster.error.guardianRequired' });
      if (v.guardianRelation === '') rowIssues.push({ line, column: columnName('guardianRelation'), reason: 'roster.error.guardianRequired' });
      if (!yes.includes(v.guardianConsent.toLowerCase())) rowIssues.push({ line, column: columnName('guardianConsent'), reason: 'roster.error.consentRequired' });
    }
    const duplicate = (map: Map<string, number>, key: string, field: RosterField) => {
      const first = map.get(key);
      if (first !== undefined) rowIssues.push({ line, column: columnName(field), reason: 'roster.error.duplicate', params: { line: first } });
      else map.set(key, line);
    };
    if (v.externalId) duplicate(seen.externalId, v.externalId, 'externalId');
    if (v.email) duplicate(seen.email, v.email.toLowerCase(), 'email');
    // Pupils pick their own name in their class on the classroom device: it must be unambiguous.
    if (kind === 'pupil' && v.name && v.className) duplicate(seen.classAndName, `${v.className}\u0000${v.name}`, 'name');
    if (rowIssues.length) {
      issues.push(...rowIssues);
      continue;
    }
    rows.push({
      line,
      externalId: v.externalId,
      name: v.name,
      email: v.email ? v.email.toLowerCase() : null,
      className: kind === 'pupil' ? v.className : null,
      birthDate: v.birthDate || null,
      guardian: child ? { name: v.guardianName, relation: v.guardianRelation } : null,
    });
  }
  return { rows, issues };
}
