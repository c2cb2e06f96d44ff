import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { formatDateTime, useLocale, useT } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { requirePermission } from '../features/identity/guards.server.js';
import { listCapturedMail } from '../features/mail/captured-mail.server.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'admin.mail');

// Mail held by the local capture server holds other people's reset links: administrators
// only (decision 024), and only on a site that runs the capture server at all.
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, 'admin:people');
  const mail = listCapturedMail();
  if (mail === null) throw new Response(null, { status: 404 });
  return { mail };
}

export default function CapturedMail() {
  const { mail } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  return (
    <>
      <h2>{t('admin.mail')}</h2>
      <p className="muted">{t('admin.mail.intro')}</p>
      {mail.length === 0 ? (
        <p>{t('admin.mail.none')}</p>
      ) : (
        <ol className="plain-list">
          {mail.map((m) => (
            <li key={m.id} className="panel">
              <h3>{m.subject}</h3>
              <p className="muted">
                {t('admin.mail.to', { to: m.to.join(', ') })} · {formatDateTime(locale, new Date(m.receivedAt))}
              </p>
              <pre className="mail-text">{m.text}</pre>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
