import { useActionData, useLoaderData } from '@remix-run/react';
import { useT } from '../i18n/i18n.js';
import type { SsoRefusedData } from './responses.server.js';

/** The page an IdP's refused answer lands on (from a loader): what went wrong, and the way back. */
export function SsoRefused() {
  return <SsoRefusedView {...useLoaderData<SsoRefusedData>()} />;
}

/** The same page for an answer posted to an action (a SAML response); the loader's data for a plain GET. */
export function SsoRefusedAfterPost() {
  const posted = useActionData<SsoRefusedData>();
  const fallback = useLoaderData<SsoRefusedData>();
  return <SsoRefusedView {...(posted ?? fallback)} />;
}

function SsoRefusedView({ refused, institutionSlug }: SsoRefusedData) {
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
