import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { CsrfInput } from '../components/CsrfInput.js';
import { TableScroll } from '../components/TableScroll.js';
import { endSessionSchema } from '../features/accounts/schemas.js';
import { parseForm } from '../features/forms.server.js';
import { formatDateTime, useLocale, useT } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { requireUser } from '../features/identity/guards.server.js';
import { endOwnSessions, listOwnSessions } from '../features/identity/sessions-list.server.js';
import { describeUserAgent } from '../features/accounts/user-agent.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'sessions.title');

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const sessions = await listOwnSessions(request, user.id);
  return { sessions: sessions.map((s) => ({ ...s, device: describeUserAgent(s.userAgent) })) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const { submission } = await parseForm(request, endSessionSchema);
  if (submission.status !== 'success') return data({ ended: null }, { status: 400 });
  const which = submission.value.intent === 'end-others' ? ('others' as const) : { one: submission.value.session };
  const ended = await endOwnSessions(request, user.id, which, context.clientIp);
  // Ending this browser's own session is signing out.
  if (which !== 'others' && !(await listOwnSessions(request, user.id)).some((s) => s.current)) throw redirect('/login');
  return { ended };
}

export default function SessionsPage() {
  const t = useT();
  const locale = useLocale();
  const { sessions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const others = sessions.filter((s) => !s.current).length;
  return (
    <section aria-labelledby="sessions-title">
      <h1 id="sessions-title">{t('sessions.title')}</h1>
      {actionData?.ended != null ? (
        <p role="status" className="notice">
          {t('sessions.ended', { count: actionData.ended })}
        </p>
      ) : (
        <p>{t('sessions.lead')}</p>
      )}
      <TableScroll label={t('sessions.title')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('sessions.device')}</th>
              <th scope="col">{t('sessions.created')}</th>
              <th scope="col">{t('sessions.lastSeen')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('sessions.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.id}>
                <td>
                  {s.device ?? t('sessions.unknownDevice')}
                  {s.current ? <strong> · {t('sessions.current')}</strong> : null}
                </td>
                <td>{formatDateTime(locale, new Date(s.createdAt))}</td>
                <td>{s.lastSeenAt ? formatDateTime(locale, new Date(s.lastSeenAt)) : '—'}</td>
                <td>
                  <Form method="post">
                    <CsrfInput />
                    <input type="hidden" name="session" value={s.id} />
                    <button type="submit" name="intent" value="end-one" className="button secondary small">
                      {s.current ? t('nav.logout') : t('sessions.end')}
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      {others > 0 ? (
        <Form method="post">
          <CsrfInput />
          <button type="submit" name="intent" value="end-others" className="button danger">
            {t('sessions.endOthers', { count: others })}
          </button>
        </Form>
      ) : null}
      <p>
        <a href="/account">{t('accounts.backToAccount')}</a>
      </p>
    </section>
  );
}
