import { createCookie, type Cookie } from '@remix-run/node';
import { and, asc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { classrooms, institutions, rosterEntries, users } from '../../../db/schema/index.js';
import { getEnv } from '../../env.server.js';
import { getServices } from '../../services.server.js';
import { recordAudit } from '../audit/audit.server.js';
import { pupilCodeMatches } from './pupil-codes.server.js';

/**
 * Failed or not, every attempt counts before the code is checked (parallel guesses too): five
 * per pupil and thirty per class in fifteen minutes. A class of 45 mistyping children is
 * slowed, not a device that guesses one code after another.
 */
export const PUPIL_LOGIN_LIMITS = { perPupil: 5, perClass: 30, windowSeconds: 15 * 60 } as const;

let deviceCookie: Cookie | undefined;
/** Set by an institution administrator on a classroom's shared computer; names only that school. */
function classroomDeviceCookie(): Cookie {
  const env = getEnv();
  deviceCookie ??= createCookie('edu_classroom_device', { httpOnly: true, sameSite: 'lax', secure: env.SECURE_COOKIES, path: '/', secrets: [env.SESSION_SECRET], maxAge: 180 * 24 * 3600 });
  return deviceCookie;
}

export async function deviceInstitution(request: Request) {
  const value: unknown = await classroomDeviceCookie().parse(request.headers.get('Cookie'));
  if (typeof value !== 'string') return null;
  const [row] = await getServices().db.select({ id: institutions.id, slug: institutions.slug, nameZh: institutions.nameZh, nameEn: institutions.nameEn }).from(institutions).where(eq(institutions.id, value));
  return row ?? null;
}

export function enrolDevice(institutionId: string): Promise<string> {
  return classroomDeviceCookie().serialize(institutionId);
}

export function forgetDevice(): Promise<string> {
  return classroomDeviceCookie().serialize('', { maxAge: 0 });
}

/** Classes with at least one pupil who has a code, for the device's first screen. */
export async function listDeviceClasses(institutionId: string) {
  return getServices()
    .db.select({ id: classrooms.id, nameZh: classrooms.nameZh, nameEn: classrooms.nameEn, pupils: sql<number>`count(*)::int` })
    .from(classrooms)
    .innerJoin(rosterEntries, and(eq(rosterEntries.classroomId, classrooms.id), isNotNull(rosterEntries.signInCodeHash)))
    .where(and(eq(classrooms.institutionId, institutionId), isNull(classrooms.archivedAt)))
    .groupBy(classrooms.id)
    .orderBy(asc(classrooms.nameZh));
}

export async function findDeviceClass(institutionId: string, classroomId: string) {
  const { db } = getServices();
  const [room] = await db.select({ id: classrooms.id, nameZh: classrooms.nameZh, nameEn: classrooms.nameEn }).from(classrooms).where(and(eq(classrooms.id, classroomId), eq(classrooms.institutionId, institutionId), isNull(classrooms.archivedAt)));
  if (!room) return null;
  const pupils = await db
    .select({ id: rosterEntries.id, name: rosterEntries.displayName })
    .from(rosterEntries)
    .innerJoin(users, eq(users.id, rosterEntries.userId))
    .where(and(eq(rosterEntries.classroomId, classroomId), eq(rosterEntries.kind, 'pupil'), isNotNull(rosterEntries.signInCodeHash), isNull(users.erasedAt)))
    .orderBy(asc(rosterEntries.displayName));
  return { room, pupils };
}

const pupilKey = (entryId: string) => `edu:throttle:pupil:${entryId}`;
const classKey = (classroomId: string) => `edu:throttle:pupil-class:${classroomId}`;

/** Reserves one attempt for the pupil and the class; the attempt is refused when either is spent. */
async function reserveAttempt(entryId: string, classroomId: string): Promise<number> {
  const { redis } = getServices();
  const w = PUPIL_LOGIN_LIMITS.windowSeconds;
  const replies = await redis.multi().incr(pupilKey(entryId)).expire(pupilKey(entryId), w, 'NX').incr(classKey(classroomId)).expire(classKey(classroomId), w, 'NX').exec();
  const pupilCount = Number(replies?.[0]?.[1] ?? 0);
  const classCount = Number(replies?.[2]?.[1] ?? 0);
  if (pupilCount <= PUPIL_LOGIN_LIMITS.perPupil && classCount <= PUPIL_LOGIN_LIMITS.perClass) return 0;
  const ttl = await redis.ttl(pupilCount > PUPIL_LOGIN_LIMITS.perPupil ? pupilKey(entryId) : classKey(classroomId));
  return Math.max(1, ttl);
}

export type PupilLoginOutcome = { kind: 'ok'; userId: string } | { kind: 'invalid' } | { kind: 'throttled'; retryAfterSeconds: number };

export async function attemptPupilLogin(institutionId: string, classroomId: string, entryId: string, code: string, ip: string): Promise<PupilLoginOutcome> {
  const { db, redis } = getServices();
  const [entry] = await db
    .select({ userId: rosterEntries.userId, codeHash: rosterEntries.signInCodeHash })
    .from(rosterEntries)
    .innerJoin(classrooms, eq(classrooms.id, rosterEntries.classroomId))
    .innerJoin(users, eq(users.id, rosterEntries.userId))
    .where(and(eq(rosterEntries.id, entryId), eq(rosterEntries.classroomId, classroomId), eq(rosterEntries.institutionId, institutionId), isNull(classrooms.archivedAt), isNull(users.erasedAt)));
  if (!entry) return { kind: 'invalid' };
  const retryAfterSeconds = await reserveAttempt(entryId, classroomId);
  if (retryAfterSeconds > 0) return { kind: 'throttled', retryAfterSeconds };
  if (!pupilCodeMatches(entry.userId, code, entry.codeHash)) {
    await recordAudit(db, { action: 'auth.pupil-login-failed', subjectUserId: entry.userId, institutionId, ip, details: { classroomId } });
    return { kind: 'invalid' };
  }
  await redis.del(pupilKey(entryId));
  await recordAudit(db, { action: 'auth.pupil-login', actorUserId: entry.userId, subjectUserId: entry.userId, institutionId, ip, details: { classroomId } });
  return { kind: 'ok', userId: entry.userId };
}
