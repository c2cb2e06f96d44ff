import { randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Transaction as Tx } from '../../../db/client.js';
import { newPseudonym } from '../../../db/pseudonym.js';
import { classroomPupils, classrooms, guardianConsents, memberships, rosterEntries, users, type RosterKind } from '../../../db/schema/index.js';
import { getServices } from '../../services.server.js';
import { recordAudit } from '../audit/audit.server.js';
import { hashPupilCode, newPupilCode } from './pupil-codes.server.js';
import { isRosterFileError, readRosterFile, type RosterFileError } from './roster-file.js';
import { GUARDIAN_NOTICE_VERSION, validateRoster, type RosterIssue, type RosterRow } from './roster-rows.js';

export type RosterSummary = { created: number; updated: number; unchanged: number; newClasses: string[]; consents: number };
export type PupilCode = { className: string; name: string; externalId: string; code: string };
type Ctx = { institutionId: string; adminId: string; kind: RosterKind; now: Date; write: boolean; summary: RosterSummary; codes: PupilCode[] };

/** A row that cannot be applied as the database stands; aborts a confirmed import whole. */
class RowFailure extends Error {
  constructor(readonly issue: RosterIssue) {
    super(issue.reason);
  }
}
const fail = (row: RosterRow, column: string, reason: string): never => {
  throw new RowFailure({ line: row.line, column, reason });
};

const STAGE_TTL_SECONDS = 30 * 60;
const stageKey = (id: string) => `edu:roster:stage:${id}`;
type Stage = { institutionId: string; adminId: string; kind: RosterKind; fileName: string; rows: RosterRow[] };

async function findClassroom(tx: Tx, ctx: Ctx, row: RosterRow): Promise<string | null> {
  const name = row.className!;
  const [room] = await tx.select({ id: classrooms.id, archivedAt: classrooms.archivedAt }).from(classrooms).where(and(eq(classrooms.institutionId, ctx.institutionId), eq(classrooms.nameZh, name)));
  if (room?.archivedAt) fail(row, 'class', 'roster.error.classArchived');
  if (room) return room.id;
  if (!ctx.summary.newClasses.includes(name)) ctx.summary.newClasses.push(name);
  if (!ctx.write) return null;
  const [created] = await tx.insert(classrooms).values({ institutionId: ctx.institutionId, nameZh: name }).returning({ id: classrooms.id });
  return created!.id;
}

/** The attendance-list row this pupil may take in `classroomId`: theirs, a seeded unlinked one of the same name, or a new one. */
async function pupilSlot(tx: Tx, row: RosterRow, classroomId: string | null, ownPupilId: string | null): Promise<string | null> {
  if (!classroomId) return null;
  const [same] = await tx.select({ id: classroomPupils.id }).from(classroomPupils).where(and(eq(classroomPupils.classroomId, classroomId), eq(classroomPupils.displayName, row.name)));
  if (!same || same.id === ownPupilId) return same?.id ?? null;
  const [taken] = await tx.select({ id: rosterEntries.id }).from(rosterEntries).where(eq(rosterEntries.classroomPupilId, same.id));
  if (taken) fail(row, 'name', 'roster.error.nameTakenInClass');
  return same.id;
}

async function ensureVerifiedMembership(tx: Tx, ctx: Ctx, userId: string): Promise<boolean> {
  const [m] = await tx.select({ verification: memberships.verification }).from(memberships).where(and(eq(memberships.userId, userId), eq(memberships.institutionId, ctx.institutionId), eq(memberships.role, 'student')));
  if (m && m.verification !== 'self-declared') return false;
  if (ctx.write) {
    await tx
      .insert(memberships)
      .values({ userId, institutionId: ctx.institutionId, role: 'student', verification: 'roster', verifiedAt: ctx.now, verifiedBy: ctx.adminId })
      .onConflictDoUpdate({ target: [memberships.userId, memberships.institutionId, memberships.role], set: { verification: 'roster', verifiedAt: ctx.now, verifiedBy: ctx.adminId } });
  }
  return true;
}

async function ensureConsent(tx: Tx, ctx: Ctx, row: RosterRow, userId: string | null): Promise<boolean> {
  if (!row.guardian) return false;
  if (userId) {
    const [c] = await tx.select({ id: guardianConsents.id }).from(guardianConsents).where(and(eq(guardianConsents.pupilUserId, userId), eq(guardianConsents.noticeVersion, GUARDIAN_NOTICE_VERSION)));
    if (c) return false;
  }
  ctx.summary.consents += 1;
  if (ctx.write) {
    await tx.insert(guardianConsents).values({ pupilUserId: userId!, institutionId: ctx.institutionId, guardianName: row.guardian.name, guardianRelation: row.guardian.relation, noticeVersion: GUARDIAN_NOTICE_VERSION, recordedBy: ctx.adminId, recordedAt: ctx.now });
  }
  return true;
}

async function emailOwner(tx: Tx, email: string) {
  const [u] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email));
  return u?.id ?? null;
}

async function updateRow(tx: Tx, ctx: Ctx, row: RosterRow, entry: typeof rosterEntries.$inferSelect) {
  if (entry.kind !== ctx.kind) fail(row, 'external_id', 'roster.error.kindChanged');
  const classroomId = ctx.kind === 'pupil' ? await findClassroom(tx, ctx, row) : null;
  if (row.email && row.email !== entry.email) {
    const owner = await emailOwner(tx, row.email);
    if (owner && owner !== entry.userId) fail(row, 'email', 'roster.error.emailTaken');
  }
  const moved = ctx.kind === 'pupil' && (classroomId !== entry.classroomId || row.name !== entry.displayName);
  const pupilId = moved ? await pupilSlot(tx, row, classroomId, entry.classroomPupilId) : entry.classroomPupilId;
  const changed = row.name !== entry.displayName || (row.email ?? null) !== entry.email || row.birthDate !== entry.birthDate || moved;
  const verified = await ensureVerifiedMembership(tx, ctx, entry.userId);
  const consented = await ensureConsent(tx, ctx, row, entry.userId);
  if (!changed && !verified && !consented) {
    ctx.summary.unchanged += 1;
    return;
  }
  ctx.summary.updated += 1;
  if (!ctx.write || !changed) return;
  let slot = pupilId;
  if (moved && classroomId) {
    const old = entry.classroomPupilId;
    if (slot && old && slot !== old) await tx.delete(classroomPupils).where(eq(classroomPupils.id, old));
    else if (!slot && old) {
      // Same attendance row, new class or name: past attendance keeps pointing at this pupil.
      await tx.update(classroomPupils).set({ classroomId, displayName: row.name }).where(eq(classroomPupils.id, old));
      slot = old;
    } else if (!slot) [{ id: slot }] = (await tx.insert(classroomPupils).values({ classroomId, displayName: row.name }).returning({ id: classroomPupils.id })) as [{ id: string }];
  }
  await tx.update(users).set({ displayName: row.name, ...(row.email ? { email: row.email } : {}), updatedAt: ctx.now }).where(eq(users.id, entry.userId));
  await tx.update(rosterEntries).set({ displayName: row.name, email: row.email, classroomId, classroomPupilId: slot, birthDate: row.birthDate, updatedAt: ctx.now }).where(eq(rosterEntries.id, entry.id));
}

async function createRow(tx: Tx, ctx: Ctx, row: RosterRow) {
  let userId = row.email ? await emailOwner(tx, row.email) : null;
  if (userId) {
    const [onRoster] = await tx.select({ id: rosterEntries.id }).from(rosterEntries).where(eq(rosterEntries.userId, userId));
    if (onRoster) fail(row, 'email', 'roster.error.emailOnRoster');
  }
  const classroomId = ctx.kind === 'pupil' ? await findClassroom(tx, ctx, row) : null;
  let pupilId = await pupilSlot(tx, row, classroomId, null);
  ctx.summary.created += 1;
  if (!ctx.write) {
    await ensureConsent(tx, ctx, row, userId);
    return;
  }
  if (!userId) {
    [{ id: userId }] = (await tx.insert(users).values({ email: row.email, displayName: row.name, pseudonym: newPseudonym() }).returning({ id: users.id })) as [{ id: string }];
  }
  if (classroomId && !pupilId) [{ id: pupilId }] = (await tx.insert(classroomPupils).values({ classroomId, displayName: row.name }).returning({ id: classroomPupils.id })) as [{ id: string }];
  const code = ctx.kind === 'pupil' ? newPupilCode() : null;
  await tx.insert(rosterEntries).values({
    institutionId: ctx.institutionId,
    externalId: row.externalId,
    userId,
    kind: ctx.kind,
    displayName: row.name,
    email: row.email,
    classroomId,
    classroomPupilId: pupilId,
    birthDate: row.birthDate,
    signInCodeHash: code ? hashPupilCode(userId, code) : null,
  });
  await ensureVerifiedMembership(tx, ctx, userId);
  await ensureConsent(tx, ctx, row, userId);
  if (code) ctx.codes.push({ className: row.className!, name: row.name, externalId: row.externalId, code });
}

async function runRows(tx: Tx, ctx: Ctx, rows: RosterRow[], collect: RosterIssue[] | null) {
  for (const row of rows) {
    try {
      const [entry] = await tx.select().from(rosterEntries).where(and(eq(rosterEntries.institutionId, ctx.institutionId), eq(rosterEntries.externalId, row.externalId)));
      await (entry ? updateRow(tx, ctx, row, entry) : createRow(tx, ctx, row));
    } catch (error) {
      if (!(error instanceof RowFailure) || !collect) throw error;
      collect.push(error.issue);
    }
  }
}

const emptySummary = (): RosterSummary => ({ created: 0, updated: 0, unchanged: 0, newClasses: [], consents: 0 });

export type DryRun = { kind: 'file-error'; error: RosterFileError['kind'] } | { kind: 'checked'; rowCount: number; issues: RosterIssue[]; summary: RosterSummary; stageId: string | null };

/**
 * Reads, checks and plans a roster without changing anything (a read-only transaction).
 * A file with no issues is staged for 30 minutes under the returned id, for `confirmRoster`.
 */
export async function dryRunRoster(institution: { id: string; kind: string }, adminId: string, file: File, now = new Date()): Promise<DryRun> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const table = await readRosterFile(file.name, bytes);
  if (isRosterFileError(table)) return { kind: 'file-error', error: table.kind };
  const kind: RosterKind = institution.kind === 'school' ? 'pupil' : 'student';
  const { rows, issues } = validateRoster(table, kind, now.toISOString().slice(0, 10));
  const ctx: Ctx = { institutionId: institution.id, adminId, kind, now, write: false, summary: emptySummary(), codes: [] };
  const { db, redis } = getServices();
  await db.transaction(async (tx) => {
    await tx.execute(sql`set transaction read only`);
    await runRows(tx, ctx, rows, issues);
  });
  issues.sort((a, b) => a.line - b.line);
  let stageId: string | null = null;
  if (issues.length === 0) {
    stageId = randomBytes(18).toString('base64url');
    const stage: Stage = { institutionId: institution.id, adminId, kind, fileName: file.name.slice(0, 120), rows };
    await redis.set(stageKey(stageId), JSON.stringify(stage), 'EX', STAGE_TTL_SECONDS);
  }
  return { kind: 'checked', rowCount: table.rows.length, issues, summary: ctx.summary, stageId };
}

export type Confirmed = { kind: 'expired' } | { kind: 'failed'; issue: RosterIssue } | { kind: 'applied'; summary: RosterSummary; codes: PupilCode[] };

/** Applies a staged roster in one transaction: one row that no longer fits, and nothing is applied. */
export async function confirmRoster(stageId: string, institutionId: string, adminId: string, ip: string, now = new Date()): Promise<Confirmed> {
  const { db, redis } = getServices();
  const raw = await redis.get(stageKey(stageId));
  const stage = raw ? (JSON.parse(raw) as Stage) : null;
  if (!stage || stage.institutionId !== institutionId || stage.adminId !== adminId) return { kind: 'expired' };
  const ctx: Ctx = { institutionId, adminId, kind: stage.kind, now, write: true, summary: emptySummary(), codes: [] };
  try {
    await db.transaction(async (tx) => {
      await runRows(tx, ctx, stage.rows, null);
      const { created, updated, unchanged, consents } = ctx.summary;
      await recordAudit(tx, { action: 'roster.imported', actorUserId: adminId, institutionId, ip, details: { fileName: stage.fileName, kind: stage.kind, created, updated, unchanged, consents, newClasses: ctx.summary.newClasses.length } });
    });
  } catch (error) {
    if (error instanceof RowFailure) return { kind: 'failed', issue: error.issue };
    throw error;
  }
  await redis.del(stageKey(stageId));
  return { kind: 'applied', summary: ctx.summary, codes: ctx.codes };
}

/** New codes for every pupil of one class (lost cards): shown once, the old codes stop working. */
export async function reissueClassCodes(institutionId: string, classroomId: string, adminId: string, ip: string): Promise<PupilCode[] | null> {
  const { db } = getServices();
  return db.transaction(async (tx) => {
    const [room] = await tx.select({ nameZh: classrooms.nameZh }).from(classrooms).where(and(eq(classrooms.id, classroomId), eq(classrooms.institutionId, institutionId)));
    if (!room) return null;
    const pupils = await tx.select().from(rosterEntries).where(and(eq(rosterEntries.classroomId, classroomId), eq(rosterEntries.kind, 'pupil')));
    const codes: PupilCode[] = [];
    for (const p of pupils.sort((a, b) => a.displayName.localeCompare(b.displayName, 'zh-CN'))) {
      const code = newPupilCode();
      await tx.update(rosterEntries).set({ signInCodeHash: hashPupilCode(p.userId, code) }).where(eq(rosterEntries.id, p.id));
      codes.push({ className: room.nameZh, name: p.displayName, externalId: p.externalId, code });
    }
    await recordAudit(tx, { action: 'roster.codes-issued', actorUserId: adminId, institutionId, ip, details: { classroomId, count: codes.length } });
    return codes;
  });
}
