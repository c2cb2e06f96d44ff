import { data, redirect, type AppLoadContext } from '@remix-run/node';
import { getServices } from '../../services.server.js';
import { recordAccessDenied } from '../audit/audit.server.js';
import { hasPermission, type Permission } from './permissions.js';
import { getCurrentUser, type CurrentUser } from './session.server.js';

/** Where a person enrols, re-enrols or resets their authenticator. */
export const SECOND_FACTOR_PAGE = '/account/second-factor';

export { safeRedirectPath } from './redirect.js';

export async function requireUser(request: Request): Promise<CurrentUser> {
  const user = await getCurrentUser(request);
  if (!user) {
    const url = new URL(request.url);
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  return user;
}

export async function requireAnonymous(request: Request): Promise<void> {
  if (await getCurrentUser(request)) throw redirect('/');
}

/**
 * The user, if their memberships grant `permission` (at `institutionId`, which the caller
 * has already loaded). Otherwise the attempt is written to the audit log and a 403 thrown.
 */
export async function requirePermission(
  request: Request,
  context: AppLoadContext,
  permission: Permission,
  scope: { institutionId?: string } = {},
): Promise<CurrentUser> {
  const user = await requireUser(request);
  if (hasPermission(user.memberships, permission, scope.institutionId)) return user;
  const url = new URL(request.url);
  // A privileged role this session has not yet backed with a second factor: enrol one first.
  if (hasPermission(user.awaitingSecondFactor, permission, scope.institutionId)) {
    throw redirect(`${SECOND_FACTOR_PAGE}?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  await recordAccessDenied(getServices().db, { userId: user.id, institutionId: scope.institutionId, ip: context.clientIp, permission, method: request.method, path: url.pathname });
  throw data({ reason: 'forbidden' as const }, { status: 403 });
}
