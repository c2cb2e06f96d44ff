import type { MetaFunction } from '@remix-run/node';
import { useT } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'signup.sent.title');

/** What every sign-up sees, whether its address was new or already had an account. */
export default function SignupSent() {
  const t = useT();
  return (
    <section aria-labelledby="sent-title" className="narrow">
      <h1 id="sent-title">{t('signup.sent.title')}</h1>
      <p>{t('signup.sent.body')}</p>
      <p>{t('signup.sent.noMail')}</p>
      <p>
        <a className="button" href="/login">
          {t('nav.login')}
        </a>
      </p>
    </section>
  );
}
