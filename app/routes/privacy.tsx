import type { MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { PRIVACY_NOTICE_VERSION } from '../features/accounts/privacy-notice.js';
import { useT } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'privacy.title');

export function loader() {
  return { version: PRIVACY_NOTICE_VERSION };
}

const sections = ['who', 'what', 'why', 'share', 'keep', 'children', 'rights', 'contact'] as const;

/** The privacy notice (PIPL art. 17): sign-up records consent to this version. */
export default function PrivacyNotice() {
  const { version } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <article aria-labelledby="privacy-title" className="narrow">
      <h1 id="privacy-title">{t('privacy.title')}</h1>
      <p className="muted">{t('privacy.version', { version })}</p>
      {sections.map((s) => (
        <section key={s} aria-labelledby={`privacy-${s}`}>
          <h2 id={`privacy-${s}`}>{t(`privacy.${s}.title`)}</h2>
          <p>{t(`privacy.${s}.body`)}</p>
        </section>
      ))}
    </article>
  );
}
