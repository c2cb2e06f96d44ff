import { relations } from 'drizzle-orm';
import { memberships, sessions, users } from './identity.js';
import { institutions, regions } from './places.js';

export const regionsRelations = relations(regions, ({ one, many }) => ({
  parent: one(regions, { fields: [regions.parentId], references: [regions.id], relationName: 'region_parent' }),
  children: many(regions, { relationName: 'region_parent' }),
  institutions: many(institutions),
}));

export const institutionsRelations = relations(institutions, ({ one, many }) => ({
  region: one(regions, { fields: [institutions.regionId], references: [regions.id] }),
  memberships: many(memberships),
}));

export const usersRelations = relations(users, ({ many }) => ({
  memberships: many(memberships),
  sessions: many(sessions),
}));

export const membershipsRelations = relations(memberships, ({ one }) => ({
  user: one(users, { fields: [memberships.userId], references: [users.id] }),
  institution: one(institutions, { fields: [memberships.institutionId], references: [institutions.id] }),
}));
