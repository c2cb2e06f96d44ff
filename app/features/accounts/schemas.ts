import { z } from 'zod';
import { email, newPasswordSchema } from '../identity/schemas.js';

// One schema per account form, shared by conform in the browser and the action.
export const forgotPasswordSchema = z.object({ email });

export const resetPasswordSchema = z.object({
  token: z.string({ required_error: 'errors.required' }).max(200),
  password: newPasswordSchema,
});

export const changePasswordSchema = z.object({
  currentPassword: z.string({ required_error: 'errors.required' }).max(200, 'errors.passwordTooLong'),
  password: newPasswordSchema,
});

export const changeEmailSchema = z.object({
  email,
  currentPassword: z.string({ required_error: 'errors.required' }).max(200, 'errors.passwordTooLong'),
});

export const verifyEmailSchema = z.object({ token: z.string({ required_error: 'errors.required' }).max(200) });

export const endSessionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('end-one'), session: z.string().regex(/^[0-9a-f]{64}$/) }),
  z.object({ intent: z.literal('end-others') }),
]);
