import type { LoaderFunctionArgs } from '@remix-run/node';
import { NavLink, Outlet } from '@remix-run/react';
import { useT } from '../features/i18n/i18n.js';
import { requirePermission } from '../features/identity/guards.server.js';

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, 'admin:institutions');
  return null;
}

export default function AdminLayout() {
  const t = useT();
  return (
    <>
      <h1>{t('admin.title')}</h1>
      <nav className="sub-nav" aria-label={t('admin.nav')}>
        <ul>
          <li>
            <NavLink to="/admin/institutions">{t('admin.institutions')}</NavLink>
          </li>
          <li>
            <NavLink to="/admin/people">{t('admin.people')}</NavLink>
          </li>
          <li>
            <NavLink to="/admin/audit">{t('admin.audit')}</NavLink>
          </li>
          <li>
            <NavLink to="/admin/ledger">{t('admin.ledger')}</NavLink>
          </li>
          <li>
            <NavLink to="/admin/media">{t('admin.media')}</NavLink>
          </li>
          <li>
            <NavLink to="/admin/mail">{t('admin.mail')}</NavLink>
          </li>
          <li>
            {/* Bull Board is served beside Remix, not by it: a plain link. */}
            <a href="/admin/queues">{t('admin.queues')}</a>
          </li>
        </ul>
      </nav>
      <Outlet />
    </>
  );
}
