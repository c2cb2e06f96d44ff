import { redirect, type ActionFunctionArgs } from '@remix-run/node';
import { requireCsrfForm } from '../features/forms.server.js';
import { recordAudit } from '../features/audit/audit.server.js';
import { endSession, getCurrentUser } from '../features/identity/session.server.js';
import { getServices } from '../services.server.js';

export async function loader() {
  return redirect('/');
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireCsrfForm(request);
  const user = await getCurrentUser(request);
  if (user) await recordAudit(getServices().db, { action: 'auth.logout', actorUserId: user.id, subjectUserId: user.id, ip: context.clientIp });
  return redirect('/', { headers: { 'Set-Cookie': await endSession(request) } });
}
