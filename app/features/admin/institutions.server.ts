import { asc, count, eq } from 'drizzle-orm';
import { institutions, memberships, regions } from '../../../db/schema/index.js';
import type { InstitutionKind } from '../../../db/schema/places.js';
import { getServices } from '../../services.server.js';
import { recordAudit } from '../audit/audit.server.js';

export async function listInstitutionsWithCounts() {
  const { db } = getServices();
  return db
    .select({
      id: institutions.id,
      slug: institutions.slug,
      kind: institutions.kind,
      nameZh: institutions.nameZh,
      nameEn: institutions.nameEn,
      regionId: institutions.regionId,
      acceptsStudentSignup: institutions.acceptsStudentSignup,
      regionNameZh: regions.nameZh,
      regionNameEn: regions.nameEn,
      members: count(memberships.id),
    })
    .from(institutions)
    .innerJoin(regions, eq(regions.id, institutions.regionId))
    .leftJoin(memberships, eq(memberships.institutionId, institutions.id))
    .groupBy(institutions.id, regions.id)
    .orderBy(asc(institutions.kind), asc(institutions.nameZh));
}

export async function listRegions() {
  const { db } = getServices();
  return db
    .select({ id: regions.id, level: regions.level, nameZh: regions.nameZh, nameEn: regions.nameEn, isRural: regions.isRural })
    .from(regions)
    .orderBy(asc(regions.code));
}

async function regionExists(regionId: string): Promise<boolean> {
  const [region] = await getServices().db.select({ id: regions.id }).from(regions).where(eq(regions.id, regionId));
  return region !== undefined;
}

type CreateInput = { slug: string; nameZh: string; nameEn: string; kind: InstitutionKind; regionId: string };

export async function createInstitution(input: CreateInput, actorUserId: string, ip: string): Promise<'ok' | 'slug-taken' | 'no-region'> {
  const { db } = getServices();
  if (!(await regionExists(input.regionId))) return 'no-region';
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(institutions).values(input).onConflictDoNothing({ target: institutions.slug }).returning({ id: institutions.id });
    if (!row) return 'slug-taken' as const;
    await recordAudit(tx, { action: 'institution.created', actorUserId, institutionId: row.id, ip, details: { slug: input.slug } });
    return 'ok' as const;
  });
}

type UpdateInput = { id: string; nameZh: string; nameEn: string; regionId: string; acceptsStudentSignup: boolean };

export async function updateInstitution(input: UpdateInput, actorUserId: string, ip: string): Promise<'ok' | 'not-found' | 'no-region'> {
  const { db } = getServices();
  if (!(await regionExists(input.regionId))) return 'no-region';
  return db.transaction(async (tx) => {
    const { id, ...changes } = input;
    const [row] = await tx.update(institutions).set({ ...changes, updatedAt: new Date() }).where(eq(institutions.id, id)).returning({ id: institutions.id });
    if (!row) return 'not-found' as const;
    await recordAudit(tx, { action: 'institution.updated', actorUserId, institutionId: id, ip, details: changes });
    return 'ok' as const;
  });
}
