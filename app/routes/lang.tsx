import { redirect, type ActionFunctionArgs } from '@remix-run/node';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { users } from '../../db/schema/index.js';
import { parseForm } from '../features/forms.server.js';
import { localeCookie } from '../features/i18n/locale.server.js';
import { safeRedirectPath } from '../features/identity/guards.server.js';
import { getCurrentUser } from '../features/identity/session.server.js';
import { getServices } from '../services.server.js';

const langSchema = z.object({ locale: z.enum(['zh-CN', 'en']), redirectTo: z.string().max(2000).optional() });

export async function loader() {
  return redirect('/');
}

/** Works without JavaScript: a plain form post that sets the cookie and goes back. */
export async function action({ request }: ActionFunctionArgs) {
  const { submission } = await parseForm(request, langSchema);
  // A resource route: answer with a Response (a returned data() would lose its status).
  if (submission.status !== 'success') return new Response('Unknown language: choose zh-CN or en', { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  const user = await getCurrentUser(request);
  if (user) await getServices().db.update(users).set({ locale: submission.value.locale, updatedAt: new Date() }).where(eq(users.id, user.id));
  return redirect(safeRedirectPath(submission.value.redirectTo), {
    headers: { 'Set-Cookie': await localeCookie.serialize(submission.value.locale) },
  });
}
