import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { auditLog, users } from '../../../db/schema/index.js';
import type { AuditAction } from '../../../db/schema/audit.js';
import { getServices } from '../../services.server.js';

export const AUDIT_PAGE_SIZE = 50;

/** Newest first, keyset-paginated by id; people appear by pseudonym, not name. */
export async function listAuditEntries({ action, before }: { action?: AuditAction; before?: number }) {
  const { db } = getServices();
  const actor = alias(users, 'actor');
  const subject = alias(users, 'subject');
  const where: SQL[] = [];
  if (action) where.push(eq(auditLog.action, action));
  if (before) where.push(lt(auditLog.id, before));
  const rows = await db
    .select({
      id: auditLog.id,
      occurredAt: auditLog.occurredAt,
      action: auditLog.action,
      actor: actor.pseudonym,
      subject: subject.pseudonym,
      details: auditLog.details,
    })
    .from(auditLog)
    .leftJoin(actor, eq(actor.id, auditLog.actorUserId))
    .leftJoin(subject, eq(subject.id, auditLog.subjectUserId))
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(AUDIT_PAGE_SIZE + 1);
  return { entries: rows.slice(0, AUDIT_PAGE_SIZE), nextBefore: rows.length > AUDIT_PAGE_SIZE ? rows[AUDIT_PAGE_SIZE - 1]!.id : null };
}
