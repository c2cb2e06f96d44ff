import type { AppLoadContext } from '@remix-run/node';
import { requirePermission, requireUser } from '../identity/guards.server.js';
import { hasPermission } from '../identity/permissions.js';
import type { CurrentUser } from '../identity/session.server.js';

/** The platform administrator, or this institution's own administrator; anyone else gets an audited 403. */
export async function requireSsoManager(request: Request, context: AppLoadContext, institutionId: string): Promise<CurrentUser> {
  const user = await requireUser(request);
  if (hasPermission(user.memberships, 'admin:institutions')) return user;
  return requirePermission(request, context, 'institution:onboard', { institutionId });
}
