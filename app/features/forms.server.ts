import { parseWithZod } from '@conform-to/zod';
import type { z } from 'zod';
import { getEnv } from '../env.server.js';
import { requireValidCsrf } from './identity/csrf.server.js';

/** The one way an action reads a form: CSRF checked first, then the form's zod schema. */
export async function parseForm<Schema extends z.ZodTypeAny>(request: Request, schema: Schema) {
  const formData = await request.formData();
  requireValidCsrf(request, formData, getEnv().SECURE_COOKIES);
  return { formData, submission: parseWithZod(formData, { schema }) };
}

/** For forms with no fields beyond the token (log out, revoke). */
export async function requireCsrfForm(request: Request): Promise<FormData> {
  const formData = await request.formData();
  requireValidCsrf(request, formData, getEnv().SECURE_COOKIES);
  return formData;
}
