import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { MembershipList } from '../components/MembershipList.js';
import { useT } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { requireUser } from '../features/identity/guards.server.js';
import { isEmailVerified } from '../features/accounts/account-status.server.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'account.title');

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { user, emailVerified: await isEmailVerified(user.id), justVerified: new URL(request.url).searchParams.get('verified') === '1' };
}

export default function AccountPage() {
  const { user, emailVerified, justVerified } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <section aria-labelledby="account-title">
      <h1 id="account-title">{t('account.title')}</h1>
      {justVerified ? (
        <p role="status" className="notice ok">
          {t('verifyEmail.done')}
        </p>
      ) : null}
      <h2>{t('account.profile')}</h2>
      <dl>
        <dt>{t('account.displayName')}</dt>
        <dd>{user.displayName}</dd>
        <dt>{t('account.email')}</dt>
        <dd>
          {user.email} {emailVerified ? t('email.verified') : <a href="/account/email">{t('email.unverified')}</a>}
        </dd>
        <dt>{t('account.pseudonym')}</dt>
        <dd>{user.pseudonym}</dd>
      </dl>
      <section className="panel" aria-labelledby="security-title">
        <h2 id="security-title">{t('account.security')}</h2>
        <ul className="plain-list">
          <li>
            <a href="/account/password">{t('password.title')}</a>
          </li>
          <li>
            <a href="/account/email">{t('email.title')}</a>
          </li>
          <li>
            <a href="/account/sessions">{t('sessions.title')}</a>
          </li>
        </ul>
      </section>
      <h2>{t('account.memberships')}</h2>
      <MembershipList memberships={user.memberships} />
      <section className="panel" aria-labelledby="second-factor-title">
        <h2 id="second-factor-title">{t('account.secondFactor')}</h2>
        <p>{t(user.secondFactor.enrolled ? 'account.secondFactor.on' : 'account.secondFactor.off')}</p>
        <a className="button secondary" href="/account/second-factor">
          {t('account.secondFactor.manage')}
        </a>
      </section>
      <section className="panel" aria-labelledby="data-title">
        <h2 id="data-title">{t('account.data.title')}</h2>
        <p>{t('account.data.body')}</p>
        <a className="button secondary" href="/account/data.json" download>
          {t('account.data.download')}
        </a>
      </section>
      <section className="panel" aria-labelledby="delete-title">
        <h2 id="delete-title">{t('account.delete.title')}</h2>
        <p>{t('account.delete.body', { pseudonym: user.pseudonym })}</p>
        <a className="button danger" href="/account/delete">
          {t('account.delete.title')}
        </a>
      </section>
    </section>
  );
}
