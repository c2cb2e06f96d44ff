import { useT } from '../i18n/i18n.js';

export function RegistrarNav({ slug, title }: { slug: string; title: string }) {
  const t = useT();
  return (
    <>
      <h1 id="registrar-title">{title}</h1>
      <nav className="sub-nav" aria-label={t('registrar.nav')}>
        <ul>
          <li>
            <a href={`/institutions/${slug}/credits`}>{t('registrar.queue')}</a>
          </li>
          <li>
            <a href={`/institutions/${slug}/credits/rules`}>{t('registrar.rules')}</a>
          </li>
          <li>
            <a href={`/institutions/${slug}/credits/policy`}>{t('registrar.policy')}</a>
          </li>
          <li>
            <a href={`/institutions/${slug}/credentials`}>{t('registrar.credentials')}</a>
          </li>
        </ul>
      </nav>
    </>
  );
}
