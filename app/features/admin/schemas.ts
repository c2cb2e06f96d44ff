import { z } from 'zod';
import { institutionKinds } from '../../../db/schema/places.js';
import { roles } from '../../../db/schema/identity.js';
import { messageWith } from '../i18n/i18n.js';

const name = (max: number) => z.string({ required_error: 'errors.required' }).trim().min(1, 'errors.required').max(max, messageWith('errors.tooLong', { max }));

export const createInstitutionSchema = z.object({
  intent: z.literal('create'),
  slug: z
    .string({ required_error: 'errors.required' })
    .trim()
    .max(60, messageWith('errors.tooLong', { max: 60 }))
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'admin.institutions.slugFormat'),
  nameZh: name(120),
  nameEn: name(200),
  kind: z.enum(institutionKinds, { errorMap: () => ({ message: 'errors.invalidChoice' }) }),
  regionId: z.string({ required_error: 'errors.required' }).uuid('errors.invalidChoice'),
});

export const updateInstitutionSchema = z.object({
  intent: z.literal('update'),
  id: z.string().uuid(),
  nameZh: name(120),
  nameEn: name(200),
  regionId: z.string({ required_error: 'errors.required' }).uuid('errors.invalidChoice'),
  acceptsStudentSignup: z.literal('on').optional(),
});

export const grantRoleSchema = z.object({
  intent: z.literal('grant'),
  institutionId: z.string({ required_error: 'errors.required' }).uuid('errors.invalidChoice'),
  role: z.enum(roles, { errorMap: () => ({ message: 'errors.invalidChoice' }) }),
});

export const revokeRoleSchema = z.object({
  intent: z.literal('revoke'),
  membershipId: z.string().uuid(),
});

export const peopleSearchSchema = z.object({ q: z.string().trim().max(100).optional() });

export const decideGrantSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('approve-grant'), proposalId: z.string().uuid() }),
  z.object({ intent: z.literal('reject-grant'), proposalId: z.string().uuid() }),
]);
