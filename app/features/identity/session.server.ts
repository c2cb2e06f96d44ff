import { createHash, randomBytes } from 'node:crypto';
import { createCookie, type Cookie } from '@remix-run/node';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { institutions, memberships, sessions, users, type Locale, type Role } from '../../../db/schema/index.js';
import { getEnv } from '../../env.server.js';
import { getServices } from '../../services.server.js';

export type CurrentUser = {
  id: string;
  displayName: string;
  email: string;
  pseudonym: string;
  locale: Locale;
  memberships: { institutionId: string; role: Role; institutionNameZh: string; institutionNameEn: string; institutionSlug: string }[];
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

/** A fresh session id at every login (no fixation); any session the browser had is ended. Returns Set-Cookie. */
export async function startSession(request: Request, userId: string): Promise<string> {
  const { db } = getServices();
  const previous = await readToken(request);
  if (previous) await db.delete(sessions).where(eq(sessions.idHash, hashToken(previous)));
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + getEnv().SESSION_TTL_HOURS * 3600_000);
  await db.insert(sessions).values({ idHash: hashToken(token), userId, expiresAt, lastSeenAt: new Date(), userAgent: request.headers.get('User-Agent')?.slice(0, 300) ?? null });
  return sessionCookie().serialize(token);
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
  const [row] = await db
    .select({ id: users.id, displayName: users.displayName, email: users.email, pseudonym: users.pseudonym, locale: users.locale, lastSeenAt: sessions.lastSeenAt, idHash: sessions.idHash })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.idHash, hashToken(token)), gt(sessions.expiresAt, new Date()), isNull(users.erasedAt)));
  if (!row) return null;
  if (!row.lastSeenAt || Date.now() - row.lastSeenAt.getTime() > LAST_SEEN_EVERY_MS) {
    await db.update(sessions).set({ lastSeenAt: new Date() }).where(eq(sessions.idHash, row.idHash));
  }
  const rows = await db
    .select({
      institutionId: memberships.institutionId,
      role: memberships.role,
      institutionNameZh: institutions.nameZh,
      institutionNameEn: institutions.nameEn,
      institutionSlug: institutions.slug,
    })
    .from(memberships)
    .innerJoin(institutions, eq(institutions.id, memberships.institutionId))
    .where(eq(memberships.userId, row.id))
    .orderBy(memberships.createdAt);
  const { lastSeenAt: _seen, idHash: _hash, ...person } = row;
  return { ...person, displayName: row.displayName ?? row.pseudonym, email: row.email ?? '', memberships: rows };
}

/** The stored hash of this browser's session token, or null when it has none. */
export async function currentSessionHash(request: Request): Promise<string | null> {
  const token = await readToken(request);
  return token ? hashToken(token) : null;
}

// "Last seen" in the list of one's sessions is written at most this often per session.
const LAST_SEEN_EVERY_MS = 5 * 60_000;

/** True when the browser sent a session cookie that no longer names a live session. */
export async function hasStaleSessionCookie(request: Request): Promise<boolean> {
  return (await readToken(request)) !== null;
}
