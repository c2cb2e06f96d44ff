import type { AuditAction } from '../../../db/schema/audit.js';
import { auditLog } from '../../../db/schema/index.js';
import type { Database } from '../../../db/client.js';

export type AuditEvent = {
  action: AuditAction;
  actorUserId?: string | null;
  subjectUserId?: string | null;
  institutionId?: string | null;
  ip?: string | null;
  details?: Record<string, unknown>;
};

type Executor = Pick<Database, 'insert'>;

/** Appends one entry; pass a transaction to make it part of the change it records. */
export async function recordAudit(db: Executor, event: AuditEvent): Promise<void> {
  await db.insert(auditLog).values({
    action: event.action,
    actorUserId: event.actorUserId ?? null,
    subjectUserId: event.subjectUserId ?? null,
    institutionId: event.institutionId ?? null,
    ip: event.ip ?? null,
    details: event.details ?? {},
  });
}

/** A refused attempt, for the audit log: who, where, which permission it lacked, on what. */
export async function recordAccessDenied(
  db: Executor,
  attempt: { userId: string; permission: string; method: string; path: string; institutionId?: string | null; ip?: string | null; details?: Record<string, unknown> },
): Promise<void> {
  await recordAudit(db, {
    action: 'access.denied',
    actorUserId: attempt.userId,
    institutionId: attempt.institutionId ?? null,
    ip: attempt.ip ?? null,
    details: { permission: attempt.permission, method: attempt.method, path: attempt.path, ...attempt.details },
  });
}
