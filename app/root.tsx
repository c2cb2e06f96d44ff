import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, isRouteErrorResponse, Links, Meta, Outlet, Scripts, ScrollRestoration, useLocation, useMatches, useRouteError, useRouteLoaderData } from '@remix-run/react';
import type { ReactNode } from 'react';
import { CsrfInput } from './components/CsrfInput.js';
import { DeferredScripts } from './components/DeferredScripts.js';
import { useNonce } from './components/nonce.js';
import { defaultLocale, translate, useLocale, useT } from './features/i18n/i18n.js';
import { getLocale } from './features/i18n/locale.server.js';
import { hasPermission } from './features/identity/permissions.js';
import { getCurrentUser } from './features/identity/session.server.js';
import stylesHref from './styles/app.css?url';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: stylesHref },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
];

/** The default title, and the one error pages get: "Page not found · Site". */
export const meta: MetaFunction<typeof loader> = ({ data, error }) => {
  const locale = data?.locale ?? defaultLocale;
  const site = translate(locale, 'site.name');
  if (!error) return [{ title: site }];
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const key = status === 404 ? 'errors.notFound.title' : status === 403 ? 'errors.forbidden.title' : 'errors.server.title';
  return [{ title: `${translate(locale, key)} · ${site}` }];
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const [user, locale] = await Promise.all([getCurrentUser(request), getLocale(request)]);
  return {
    locale,
    csrfToken: context.csrfToken,
    user: user ? { displayName: user.displayName, isAdmin: hasPermission(user.memberships, 'admin:institutions') } : null,
  };
}

export type RootData = Awaited<ReturnType<typeof loader>>;

/**
 * Pages are plain server-rendered HTML unless a route asks for JavaScript with
 * `handle = { hydrate: true }`: rural links should not pay for React where forms suffice.
 * `'after-first-frame'` (the lesson page) sends React too, but inert, for the page's
 * inline player script to start once the video shows its first frame.
 */
function useHydration(): 'none' | 'now' | 'after-first-frame' {
  const wanted = useMatches().map((m) => (m.handle as { hydrate?: boolean | 'after-first-frame' } | undefined)?.hydrate);
  return wanted.includes(true) ? 'now' : wanted.includes('after-first-frame') ? 'after-first-frame' : 'none';
}

function LanguageSwitch() {
  const t = useT();
  const locale = useLocale();
  const location = useLocation();
  return (
    <Form method="post" action="/lang" className="lang-switch">
      <CsrfInput />
      <input type="hidden" name="locale" value={locale === 'en' ? 'zh-CN' : 'en'} />
      <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
      <button type="submit" lang={locale === 'en' ? 'zh-CN' : 'en'} aria-label={`${t('nav.language')}: ${t('nav.switchTo')}`}>
        {t('nav.switchTo')}
      </button>
    </Form>
  );
}

function SiteHeader() {
  const t = useT();
  const root = useRouteLoaderData<RootData>('root');
  const user = root?.user;
  return (
    <header className="site-header">
      <a href="/" className="brand">
        {t('site.name')}
      </a>
      <nav aria-label={t('nav.main')}>
        <ul>
          <li>
            <a href="/">{t('nav.home')}</a>
          </li>
          <li>
            <a href="/courses">{t('nav.courses')}</a>
          </li>
          {user ? (
            <>
              {user.isAdmin ? (
                <li>
                  <a href="/admin">{t('nav.admin')}</a>
                </li>
              ) : null}
              <li>
                <a href="/account">{t('nav.account')}</a>
              </li>
              <li>
                <Form method="post" action="/logout">
                  <CsrfInput />
                  <button type="submit" className="link-button">
                    {t('nav.logout')}
                  </button>
                </Form>
              </li>
            </>
          ) : (
            <>
              <li>
                <a href="/login">{t('nav.login')}</a>
              </li>
              <li>
                <a href="/signup">{t('nav.signup')}</a>
              </li>
            </>
          )}
        </ul>
      </nav>
      {root ? <LanguageSwitch /> : null}
    </header>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const locale = useLocale();
  const nonce = useNonce();
  const hydrate = useHydration();
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a href="#main" className="skip-link">
          {translate(locale, 'nav.skip')}
        </a>
        <SiteHeader />
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          <p>
            {translate(locale, 'footer.privacy')} <a href="/privacy">{translate(locale, 'privacy.title')}</a>
          </p>
        </footer>
        {hydrate === 'now' ? (
          <>
            <ScrollRestoration nonce={nonce} />
            <Scripts nonce={nonce} />
          </>
        ) : null}
        {hydrate === 'after-first-frame' ? <DeferredScripts nonce={nonce} /> : null}
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const t = useT();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const reason = isRouteErrorResponse(error) ? (error.data as { reason?: string } | null)?.reason : undefined;
  const [title, body] =
    status === 404
      ? [t('errors.notFound.title'), t('errors.notFound.body')]
      : status === 403
        ? [t('errors.forbidden.title'), reason === 'csrf' ? t('errors.csrf') : t('errors.forbidden.body')]
        : status === 413
          ? [t('errors.server.title'), t('errors.payloadTooLarge')]
          : status === 410
            ? [t('errors.gone.title'), reason === 'invitation-gone' ? t('invite.gone') : t('errors.gone.credential')]
            : [t('errors.server.title'), t('errors.server.body')];
  return (
    <section className="error-page" aria-labelledby="error-title">
      <h1 id="error-title">{title}</h1>
      <p>{body}</p>
      <p>
        <a href="/">{t('errors.backHome')}</a>
      </p>
    </section>
  );
}
