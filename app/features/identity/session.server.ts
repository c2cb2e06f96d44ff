import { createHash, randomBytes } from 'node:crypto';
import { createCookie, type Cookie } from '@remix-run/node';
import { and, eq, gt, isNotNull, isNull } from 'drizzle-orm';
import { institutions, memberships, sessions, users, userSecondFactors, type Locale, type MembershipVerification, type Role } from '../../../db/schema/index.js';
import { getEnv } from '../../env.server.js';
import { getServices } from '../../services.server.js';
import { isPrivilegedRole } from './permissions.js';

export type CurrentMembership = {
  institutionId: string;
  role: Role;
  institutionNameZh: string;
  institutionNameEn: string;
  institutionSlug: string;
  verification: MembershipVerification;
};

export type CurrentUser = {
  id: string;
  displayName: string;
  email: string;
  pseudonym: string;
  locale: Locale;
  /** What this session may use: privileged roles only once it has given a second factor. */
  memberships: CurrentMembership[];
  /** Privileged memberships held back until this session gives (or enrols) a second factor. */
  awaitingSecondFactor: CurrentMembership[];
  secondFactor: { enrolled: boolean; givenThisSession: boolean };
};

let cookie: Cookie | undefined;
function sessionCookie(): Cookie {
  const env = getEnv();
  // `__Host-` binds the cookie to this exact host over HTTPS; plain HTTP (a LAN box) cannot use it.
  cookie ??= createCookie(env.SECURE_COOKIES ? '__Host-edu_session' : 'edu_session', {
    httpOnly: true,
    sameSite: 'lax',
    secure: env.SECURE_COOKIES,
    path: '/',
    secrets: [env.SESSION_SECRET],
    maxAge: Math.round(env.SESSION_TTL_HOURS * 3600),
  });
  return cookie;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

async function readToken(request: Request): Promise<string | null> {
  const value: unknown = await sessionCookie().parse(request.headers.get('Cookie'));
  return typeof value === 'string' && value.length > 20 ? value : null;
}

/** How long a password-only session of a person with an authenticator waits for the code. */
export const SECOND_FACTOR_WAIT_MS = 10 * 60_000;

/**
 * A fresh session id at every login (no fixation); any session the browser had is ended. Returns Set-Cookie.
 * `awaitingSecondFactor`: the person has an authenticator, so the session grants nothing (and
 * lives ten minutes) until `markSecondFactorGiven`.
 */
export async function startSession(request: Request, userId: string, opts: { awaitingSecondFactor?: boolean } = {}): Promise<string> {
  const { db } = getServices();
  const previous = await readToken(request);
  if (previous) await db.delete(sessions).where(eq(sessions.idHash, hashToken(previous)));
  const token = randomBytes(32).toString('base64url');
  const ttl = opts.awaitingSecondFactor ? SECOND_FACTOR_WAIT_MS : getEnv().SESSION_TTL_HOURS * 3600_000;
  await db.insert(sessions).values({ idHash: hashToken(token), userId, expiresAt: new Date(Date.now() + ttl), lastSeenAt: new Date(), userAgent: request.headers.get('User-Agent')?.slice(0, 300) ?? null });
  return sessionCookie().serialize(token);
}

/** The session (live, not yet past its second factor) of a person who has an authenticator; null otherwise. */
export async function getSessionAwaitingSecondFactor(request: Request): Promise<{ userId: string; idHash: string } | null> {
  const token = await readToken(request);
  if (!token) return null;
  const [row] = await getServices()
    .db.select({ userId: sessions.userId, idHash: sessions.idHash })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .innerJoin(userSecondFactors, eq(userSecondFactors.userId, sessions.userId))
    .where(and(eq(sessions.idHash, hashToken(token)), gt(sessions.expiresAt, new Date()), isNull(sessions.secondFactorAt), isNull(users.erasedAt), isNotNull(userSecondFactors.confirmedAt)));
  return row ?? null;
}

/** The session has given its second factor: it becomes a full session with the usual lifetime. */
export async function markSecondFactorGiven(request: Request): Promise<void> {
  const token = await readToken(request);
  if (!token) return;
  const expiresAt = new Date(Date.now() + getEnv().SESSION_TTL_HOURS * 3600_000);
  await getServices().db.update(sessions).set({ secondFactorAt: new Date(), expiresAt }).where(eq(sessions.idHash, hashToken(token)));
}

/** The hash of this browser's session id (to keep it when other sessions are ended). */
export async function currentSessionHash(request: Request): Promise<string | null> {
  const token = await readToken(request);
  return token ? hashToken(token) : null;
}

export async function endSession(request: Request): Promise<string> {
  const token = await readToken(request);
  if (token) await getServices().db.delete(sessions).where(eq(sessions.idHash, hashToken(token)));
  return sessionCookie().serialize('', { maxAge: 0 });
}

export async function getCurrentUser(request: Request): Promise<CurrentUser | null> {
  const token = await readToken(request);
  if (!token) return null;
  const { db } = getServices();
  const [found] = await db
    .select({
      id: users.id,
      displayName: users.displayName,
      email: users.email,
      pseudonym: users.pseudonym,
      locale: users.locale,
      lastSeenAt: sessions.lastSeenAt,
      idHash: sessions.idHash,
      secondFactorAt: sessions.secondFactorAt,
      enrolledAt: userSecondFactors.confirmedAt,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(userSecondFactors, eq(userSecondFactors.userId, users.id))
    .where(and(eq(sessions.idHash, hashToken(token)), gt(sessions.expiresAt, new Date()), isNull(users.erasedAt)));
  if (!found) return null;
  const { secondFactorAt, enrolledAt, lastSeenAt, idHash, ...row } = found;
  // Password given, code not yet: the session grants nothing at all.
  if (enrolledAt && !secondFactorAt) return null;
  if (!lastSeenAt || Date.now() - lastSeenAt.getTime() > LAST_SEEN_EVERY_MS) {
    await db.update(sessions).set({ lastSeenAt: new Date() }).where(eq(sessions.idHash, idHash));
  }
  const rows = await db
    .select({
      institutionId: memberships.institutionId,
      role: memberships.role,
      institutionNameZh: institutions.nameZh,
      institutionNameEn: institutions.nameEn,
      institutionSlug: institutions.slug,
      verification: memberships.verification,
    })
    .from(memberships)
    .innerJoin(institutions, eq(institutions.id, memberships.institutionId))
    .where(eq(memberships.userId, row.id))
    .orderBy(memberships.createdAt);
  const held = (m: CurrentMembership) => isPrivilegedRole(m.role) && !secondFactorAt;
  return {
    ...row,
    displayName: row.displayName ?? row.pseudonym,
    email: row.email ?? '',
    memberships: rows.filter((m) => !held(m)),
    awaitingSecondFactor: rows.filter(held),
    secondFactor: { enrolled: Boolean(enrolledAt), givenThisSession: Boolean(secondFactorAt) },
  };
}

// "Last seen" in the list of one's sessions is written at most this often per session.
const LAST_SEEN_EVERY_MS = 5 * 60_000;

/** True when the browser sent a session cookie that no longer names a live session. */
export async function hasStaleSessionCookie(request: Request): Promise<boolean> {
  return (await readToken(request)) !== null;
}
