import { Form } from '@remix-run/react';
import { useLocale, useT } from '../i18n/i18n.js';
import type { SsoButton } from './providers.server.js';

export const SSO_LIST_LIMIT = 12;
/** Above this many institutions with SSO, the login page offers a search box. */
const SEARCH_FROM = 6;

type Props = { buttons: SsoButton[]; total: number; query: string; redirectTo: string };

/** "Sign in with <institution>": links to each IdP, searchable by a plain GET form (works without JS). */
export function SsoChoices({ buttons, total, query, redirectTo }: Props) {
  const t = useT();
  const en = useLocale() === 'en';
  if (total === 0) return null;
  const start = (slug: string) => `/sso/${encodeURIComponent(slug)}/start${redirectTo !== '/' ? `?redirectTo=${encodeURIComponent(redirectTo)}` : ''}`;
  return (
    <section aria-labelledby="sso-title" className="sso-choices">
      <h2 id="sso-title">{t('sso.login.title')}</h2>
      <p className="muted">{t('sso.login.lead')}</p>
      {total > SEARCH_FROM || query ? (
        <Form method="get" role="search" className="inline-search">
          <input type="hidden" name="redirectTo" value={redirectTo} />
          <label htmlFor="sso-query">{t('sso.login.search')}</label>
          <input id="sso-query" name="q" type="search" defaultValue={query} placeholder={t('sso.login.searchPlaceholder')} maxLength={80} />
          <button type="submit" className="button secondary">
            {t('sso.login.searchSubmit')}
          </button>
        </Form>
      ) : null}
      {buttons.length === 0 ? (
        <p role="status">{t('sso.login.noMatch', { query })}</p>
      ) : (
        <ul className="sso-list">
          {buttons.map((b) => (
            <li key={b.slug}>
              <a className="button secondary" href={start(b.slug)}>
                {t('sso.login.with', { name: en ? b.labelEn : b.labelZh })}
              </a>
            </li>
          ))}
        </ul>
      )}
      {total > buttons.length && buttons.length > 0 ? <p className="muted">{t('sso.login.more', { shown: buttons.length, total })}</p> : null}
    </section>
  );
}
