import { data, type AppLoadContext } from '@remix-run/node';
import { eq } from 'drizzle-orm';
import { institutions } from '../../../db/schema/index.js';
import { getServices } from '../../services.server.js';
import { requirePermission } from '../identity/guards.server.js';

/**
 * The institution named by the URL and the administrator acting for it: an institution
 * administrator of that institution (or a provincial administrator); anyone else gets 403.
 */
export async function requireInstitutionConsole(request: Request, context: AppLoadContext, slug: string | undefined) {
  const [institution] = await getServices()
    .db.select({ id: institutions.id, slug: institutions.slug, kind: institutions.kind, nameZh: institutions.nameZh, nameEn: institutions.nameEn })
    .from(institutions)
    .where(eq(institutions.slug, slug ?? ''));
  if (!institution) throw data({ reason: 'not-found' as const }, { status: 404 });
  const admin = await requirePermission(request, context, 'institution:onboard', { institutionId: institution.id });
  return { institution, admin };
}
