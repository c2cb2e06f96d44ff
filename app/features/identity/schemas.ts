import { z } from 'zod';
import { messageWith } from '../i18n/i18n.js';

// One schema per form, shared by conform in the browser and the action on the server.
// Messages are catalog keys, translated where they are shown.
export const email = z
  .string({ required_error: 'errors.required' })
  .trim()
  .toLowerCase()
  .max(254, messageWith('errors.tooLong', { max: 254 }))
  .email('errors.email');

export const loginSchema = z.object({
  email,
  password: z.string({ required_error: 'errors.required' }).max(200, 'errors.passwordTooLong'),
  redirectTo: z.string().max(2000).optional(),
});

export const newPasswordSchema = z
  .string({ required_error: 'errors.required' })
  .min(10, 'errors.passwordTooShort')
  .max(200, 'errors.passwordTooLong');

export const signupSchema = z.object({
  displayName: z.string({ required_error: 'errors.required' }).trim().min(1, 'errors.required').max(80, messageWith('errors.tooLong', { max: 80 })),
  email,
  password: newPasswordSchema,
  institutionId: z.string({ required_error: 'errors.required' }).uuid('errors.invalidChoice'),
  /** Only to refuse a child under 14 (PIPL art. 31); checked, never stored. */
  birthDate: z.string({ required_error: 'errors.required' }).regex(/^\d{4}-\d{2}-\d{2}$/, 'signup.birthDateInvalid'),
  consent: z.literal('on', { errorMap: () => ({ message: 'signup.consentRequired' }) }),
  /** The privacy notice version the page showed (app/features/accounts/privacy-notice.ts). */
  noticeVersion: z.string().max(40),
});

export const deleteAccountSchema = z.object({
  password: z.string({ required_error: 'errors.required' }).max(200, 'errors.passwordTooLong'),
  confirm: z.string({ required_error: 'errors.required' }).trim(),
});
