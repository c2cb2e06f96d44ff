import { z } from 'zod';
import { invitableRoles } from '../../../db/schema/onboarding.js';
import { messageWith } from '../i18n/i18n.js';
import { mailDomainPattern, normaliseMailDomain } from './mail-domain-match.js';

// One schema per console form; messages are catalog keys.
const email = z.string({ required_error: 'errors.required' }).trim().toLowerCase().max(254, messageWith('errors.tooLong', { max: 254 })).email('errors.email');
const name = (max: number) => z.string({ required_error: 'errors.required' }).trim().min(1, 'errors.required').max(max, messageWith('errors.tooLong', { max }));

export const staffActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('invite'), email, role: z.enum(invitableRoles, { errorMap: () => ({ message: 'errors.invalidChoice' }) }) }),
  z.object({ intent: z.literal('revoke-invitation'), invitationId: z.string().uuid() }),
  z.object({ intent: z.literal('revoke-staff'), membershipId: z.string().uuid() }),
]);

export const domainActionSchema = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal('add'),
    domain: z.string({ required_error: 'errors.required' }).transform(normaliseMailDomain).pipe(z.string().regex(mailDomainPattern, 'onboard.domains.format')),
  }),
  z.object({ intent: z.literal('remove'), domainId: z.string().uuid() }),
]);

export const classroomActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('save'), id: z.string().uuid().optional(), nameZh: name(40), nameEn: z.string().trim().max(80, messageWith('errors.tooLong', { max: 80 })).optional() }),
  z.object({ intent: z.enum(['archive', 'restore']), id: z.string().uuid() }),
  z.object({ intent: z.enum(['assign', 'unassign']), id: z.string().uuid(), userId: z.string({ required_error: 'errors.required' }).uuid('errors.invalidChoice') }),
  z.object({ intent: z.literal('reissue-codes'), id: z.string().uuid() }),
]);

export const rosterActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('check'), file: z.instanceof(File, { message: 'errors.required' }) }),
  z.object({ intent: z.literal('confirm'), stageId: z.string().regex(/^[A-Za-z0-9_-]{24}$/) }),
]);

export const verifyMembershipSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('send'), institutionId: z.string().uuid('errors.invalidChoice'), email }),
  z.object({ intent: z.literal('check'), institutionId: z.string().uuid('errors.invalidChoice'), code: z.string({ required_error: 'errors.required' }).trim().regex(/^\d{6}$/, 'onboard.verify.codeFormat') }),
]);

export const pupilLoginSchema = z.object({
  pupilId: z.string({ required_error: 'device.nameRequired' }).uuid('device.nameRequired'),
  code: z.string({ required_error: 'errors.required' }).trim().regex(/^\d{6}$/, 'device.codeFormat'),
});

const invitationToken = z.string({ required_error: 'invite.gone' }).max(100, 'invite.gone');
export const invitationAccountSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('accept'), token: invitationToken }),
  z.object({ intent: z.literal('create'), token: invitationToken, displayName: name(80), password: z.string({ required_error: 'errors.required' }).min(10, 'errors.passwordTooShort').max(200, 'errors.passwordTooLong') }),
]);
