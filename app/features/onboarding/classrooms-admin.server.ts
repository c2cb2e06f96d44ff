import { and, asc, eq, isNotNull, sql } from 'drizzle-orm';
import { classroomAssistants, classroomPupils, classrooms, memberships, rosterEntries, users } from '../../../db/schema/index.js';
import { getServices } from '../../services.server.js';
import { recordAudit } from '../audit/audit.server.js';

/** The institution's rooms, archived last, with pupil counts and their assigned assistants. */
export async function listClassrooms(institutionId: string) {
  const { db } = getServices();
  const rooms = await db
    .select({
      id: classrooms.id,
      nameZh: classrooms.nameZh,
      nameEn: classrooms.nameEn,
      archivedAt: classrooms.archivedAt,
      pupils: sql<number>`(select count(*)::int from ${classroomPupils} where ${classroomPupils.classroomId} = ${classrooms.id})`,
      withCodes: sql<number>`(select count(*)::int from ${rosterEntries} where ${rosterEntries.classroomId} = ${classrooms.id} and ${rosterEntries.signInCodeHash} is not null)`,
    })
    .from(classrooms)
    .where(eq(classrooms.institutionId, institutionId))
    .orderBy(sql`${classrooms.archivedAt} is not null`, asc(classrooms.nameZh));
  const assigned = await db
    .select({ classroomId: classroomAssistants.classroomId, userId: users.id, name: users.displayName })
    .from(classroomAssistants)
    .innerJoin(classrooms, eq(classrooms.id, classroomAssistants.classroomId))
    .innerJoin(users, eq(users.id, classroomAssistants.userId))
    .where(eq(classrooms.institutionId, institutionId));
  return rooms.map((r) => ({ ...r, assistants: assigned.filter((a) => a.classroomId === r.id).map(({ userId, name }) => ({ userId, name })) }));
}

export async function listAssistants(institutionId: string) {
  return getServices()
    .db.select({ userId: users.id, name: users.displayName, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.institutionId, institutionId), eq(memberships.role, 'assistant'), isNotNull(users.email)))
    .orderBy(asc(users.displayName));
}

type Who = { institutionId: string; adminId: string; ip: string };

export async function saveClassroom(who: Who, room: { id?: string; nameZh: string; nameEn: string | null }): Promise<'saved' | 'taken' | 'not-found'> {
  const { db } = getServices();
  return db.transaction(async (tx) => {
    const [clash] = await tx.select({ id: classrooms.id }).from(classrooms).where(and(eq(classrooms.institutionId, who.institutionId), eq(classrooms.nameZh, room.nameZh)));
    if (clash && clash.id !== room.id) return 'taken' as const;
    let id = room.id;
    if (id) {
      const rows = await tx.update(classrooms).set({ nameZh: room.nameZh, nameEn: room.nameEn }).where(and(eq(classrooms.id, id), eq(classrooms.institutionId, who.institutionId))).returning({ id: classrooms.id });
      if (!rows.length) return 'not-found' as const;
    } else {
      [{ id }] = (await tx.insert(classrooms).values({ institutionId: who.institutionId, nameZh: room.nameZh, nameEn: room.nameEn }).returning({ id: classrooms.id })) as [{ id: string }];
    }
    await recordAudit(tx, { action: 'classroom.saved', actorUserId: who.adminId, institutionId: who.institutionId, ip: who.ip, details: { classroomId: id, change: room.id ? 'renamed' : 'created' } });
    return 'saved' as const;
  });
}

export async function setClassroomArchived(who: Who, classroomId: string, archived: boolean): Promise<boolean> {
  const { db } = getServices();
  const rows = await db.update(classrooms).set({ archivedAt: archived ? new Date() : null }).where(and(eq(classrooms.id, classroomId), eq(classrooms.institutionId, who.institutionId))).returning({ id: classrooms.id });
  if (rows.length) await recordAudit(db, { action: 'classroom.saved', actorUserId: who.adminId, institutionId: who.institutionId, ip: who.ip, details: { classroomId, change: archived ? 'archived' : 'restored' } });
  return rows.length > 0;
}

/** Only an assistant of this institution may be assigned to one of its rooms. */
export async function assignAssistant(who: Who, classroomId: string, userId: string, assign: boolean): Promise<'ok' | 'not-found' | 'not-assistant'> {
  const { db } = getServices();
  const [room] = await db.select({ id: classrooms.id }).from(classrooms).where(and(eq(classrooms.id, classroomId), eq(classrooms.institutionId, who.institutionId)));
  if (!room) return 'not-found';
  if (!assign) {
    await db.delete(classroomAssistants).where(and(eq(classroomAssistants.classroomId, classroomId), eq(classroomAssistants.userId, userId)));
  } else {
    const [m] = await db.select({ id: memberships.id }).from(memberships).where(and(eq(memberships.userId, userId), eq(memberships.institutionId, who.institutionId), eq(memberships.role, 'assistant')));
    if (!m) return 'not-assistant';
    await db.insert(classroomAssistants).values({ classroomId, userId, assignedBy: who.adminId }).onConflictDoNothing();
  }
  await recordAudit(db, { action: 'classroom.saved', actorUserId: who.adminId, subjectUserId: userId, institutionId: who.institutionId, ip: who.ip, details: { classroomId, change: assign ? 'assistant-assigned' : 'assistant-unassigned' } });
  return 'ok';
}
