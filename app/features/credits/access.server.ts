import { data, type AppLoadContext } from '@remix-run/node';
import { findInstitutionBySlug } from '../admin/members.server.js';
import { requirePermission, requireUser } from '../identity/guards.server.js';

/** A registrar of the institution named in the URL (404 for an unknown one, 403 and an audit entry otherwise). */
export async function requireRegistrar(request: Request, context: AppLoadContext, slug: string | undefined) {
  const institution = await findInstitutionBySlug(slug ?? '');
  if (!institution) throw data({ reason: 'not-found' as const }, { status: 404 });
  const user = await requirePermission(request, context, 'credits:decide', { institutionId: institution.id });
  return { user, institution: { ...institution, slug: slug! } };
}

/** The signed-in user and the institutions where they study (whose registrars they may ask once verified). */
export async function requireStudent(request: Request) {
  const user = await requireUser(request);
  const studentAt = user.memberships.filter((m) => m.role === 'student');
  return { user, studentAt };
}
