import { redirect } from '@remix-run/node';
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import { memberships, userSecondFactors } from '../../../../db/schema/index.js';
import { getServices } from '../../../services.server.js';
import { localeCookie } from '../../i18n/locale.server.js';
import { SECOND_FACTOR_PAGE } from '../guards.server.js';
import { privilegedRoles } from '../permissions.js';
import { startSession } from '../session.server.js';

export const SECOND_FACTOR_LOGIN_PAGE = '/login/second-factor';

/**
 * After a first factor (a correct password, or an institution's SSO): a person with an
 * authenticator gets a session that grants nothing and is asked for the code; a registrar or
 * administrator without one is sent to enrol it; everyone else is signed in. `headers` carries
 * any other cookies the caller sets on the same answer.
 */
export async function continueAfterPassword(request: Request, user: { userId: string; locale: 'zh-CN' | 'en' }, target: string, headers = new Headers()): Promise<Response> {
  const { db } = getServices();
  const [enrolled] = await db
    .select({ userId: userSecondFactors.userId })
    .from(userSecondFactors)
    .where(and(eq(userSecondFactors.userId, user.userId), isNotNull(userSecondFactors.confirmedAt)));
  headers.append('Set-Cookie', await startSession(request, user.userId, { awaitingSecondFactor: Boolean(enrolled) }));
  headers.append('Set-Cookie', await localeCookie.serialize(user.locale));
  const next = encodeURIComponent(target);
  if (enrolled) return redirect(`${SECOND_FACTOR_LOGIN_PAGE}?redirectTo=${next}`, { headers });
  const [privileged] = await db
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.userId, user.userId), inArray(memberships.role, [...privilegedRoles])))
    .limit(1);
  if (privileged) return redirect(`${SECOND_FACTOR_PAGE}?redirectTo=${next}`, { headers });
  return redirect(target, { headers });
}
