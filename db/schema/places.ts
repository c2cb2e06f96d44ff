import { sql } from 'drizzle-orm';
import { boolean, check, index, pgEnum, pgTable, text, timestamp, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';

export const regionLevels = ['province', 'city', 'county'] as const;
export type RegionLevel = (typeof regionLevels)[number];
export const regionLevelEnum = pgEnum('region_level', regionLevels);

export const institutionKinds = ['university', 'school', 'department'] as const;
export type InstitutionKind = (typeof institutionKinds)[number];
export const institutionKindEnum = pgEnum('institution_kind', institutionKinds);

/** Province > city > county; `isRural` drives rural-reach reporting. */
export const regions = pgTable(
  'regions',
  {
    id: uuid().primaryKey().defaultRandom(),
    code: text().notNull().unique(), // GB/T 2260 administrative division code
    parentId: uuid().references((): AnyPgColumn => regions.id, { onDelete: 'restrict' }),
    level: regionLevelEnum().notNull(),
    nameZh: text().notNull(),
    nameEn: text().notNull(),
    isRural: boolean().notNull().default(false),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('regions_parent_idx').on(t.parentId),
    check('regions_province_has_no_parent', sql`(${t.level} = 'province') = (${t.parentId} is null)`),
  ],
);

export const institutions = pgTable(
  'institutions',
  {
    id: uuid().primaryKey().defaultRandom(),
    slug: text().notNull().unique(),
    kind: institutionKindEnum().notNull(),
    nameZh: text().notNull(),
    nameEn: text().notNull(),
    regionId: uuid()
      .notNull()
      .references(() => regions.id, { onDelete: 'restrict' }),
    acceptsStudentSignup: boolean().notNull().default(true),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('institutions_region_idx').on(t.regionId)],
);

export type Region = typeof regions.$inferSelect;
export type NewRegion = typeof regions.$inferInsert;
export type Institution = typeof institutions.$inferSelect;
export type NewInstitution = typeof institutions.$inferInsert;
