import { z } from 'zod';

// A six-digit authenticator code or a 16-character recovery code (spaces and dashes allowed).
const code = z.string({ required_error: 'errors.required' }).trim().min(1, 'errors.required').max(40, 'secondFactor.codeFormat');

export const secondFactorLoginSchema = z.object({ code, redirectTo: z.string().max(2000).optional() });

export const secondFactorSettingsSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('confirm'), code, redirectTo: z.string().max(2000).optional() }),
  z.object({ intent: z.literal('renew-recovery-codes'), code }),
]);
