import type { LoaderFunctionArgs } from '@remix-run/node';
import { NavLink, Outlet, useLoaderData } from '@remix-run/react';
import { pick } from '../components/catalog/labels.js';
import { useLocale, useT } from '../features/i18n/i18n.js';
import { requireInstitutionConsole } from '../features/onboarding/console-access.server.js';

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { institution } = await requireInstitutionConsole(request, context, params.slug);
  return { institution };
}

export default function InstitutionConsoleLayout() {
  const { institution } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const base = `/institutions/${institution.slug}/onboarding`;
  return (
    <>
      <p className="muted">{t('onboard.console', { institution: pick(locale, institution.nameZh, institution.nameEn) })}</p>
      <nav className="sub-nav" aria-label={t('onboard.nav')}>
        <ul>
          <li>
            <NavLink to={base} end>
              {t('onboard.overview')}
            </NavLink>
          </li>
          <li>
            <NavLink to={`${base}/staff`}>{t('onboard.staff')}</NavLink>
          </li>
          <li>
            <NavLink to={`${base}/domains`}>{t('onboard.domains')}</NavLink>
          </li>
          <li>
            <NavLink to={`${base}/classrooms`}>{t('onboard.classrooms')}</NavLink>
          </li>
          <li>
            <NavLink to={`${base}/rosters`}>{t('onboard.rosters')}</NavLink>
          </li>
        </ul>
      </nav>
      <Outlet />
    </>
  );
}
