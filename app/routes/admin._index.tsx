import { redirect, type LoaderFunctionArgs } from '@remix-run/node';
import { requirePermission } from '../features/identity/guards.server.js';

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, 'admin:institutions');
  return redirect('/admin/institutions');
}
