import { useLoaderData } from '@remix-run/react';
import { useT } from '../i18n/i18n.js';
import type { SsoRefusedData } from './responses.server.js';

/** The page an IdP's refused answer lands on: what went wrong, and the way back to the login page. */
export function SsoRefused() {
  const { refused, institutionSlug } = useLoaderData<SsoRefusedData>();
  const t = useT();
  return (
    <section aria-labelledby="sso-refused-title">
      <h1 id="sso-refused-title">{t('sso.refused.title')}</h1>
      <p className="notice error" role="alert">
        {t(`sso.refused.${refused}`)}
      </p>
      <p className="muted">{t('sso.refused.recorded')}</p>
      <p>
        <a href={institutionSlug ? `/login?sso=${encodeURIComponent(institutionSlug)}` : '/login'}>{t('sso.refused.back')}</a>
      </p>
    </section>
  );
}
