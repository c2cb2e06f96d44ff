import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { CsrfInput } from '../components/CsrfInput.js';
import { TableScroll } from '../components/TableScroll.js';
import { requireRegistrar } from '../features/credits/access.server.js';
import { revokeCredential, rotateInstitutionKey } from '../features/credits/credentials.server.js';
import { issuedPageSize, listIssuedCredentials, signingKeysOf } from '../features/credits/issued-list.server.js';
import { RegistrarNav } from '../features/credits/RegistrarNav.js';
import { parseForm } from '../features/forms.server.js';
import { formatDateTime, useLocale, useT, type MessageKey } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'issued.title');

const filterSchema = z.object({
  q: z.string().trim().min(1).max(100).optional().catch(undefined),
  status: z.enum(['valid', 'revoked']).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100000).catch(1),
});

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { institution } = await requireRegistrar(request, context, params.slug);
  const filter = filterSchema.parse(Object.fromEntries([...new URL(request.url).searchParams].filter(([, v]) => v !== '')));
  const [list, keys] = await Promise.all([listIssuedCredentials(institution.id, filter), signingKeysOf(institution.id)]);
  return { institution, filter, list, keys, pageSize: issuedPageSize };
}

const actionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('revoke'), credentialId: z.string().uuid(), reason: z.string().trim().min(1).max(500), confirm: z.literal('yes') }),
  z.object({ intent: z.literal('rotate-key'), confirm: z.literal('yes') }),
]);

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { institution, user } = await requireRegistrar(request, context, params.slug);
  const { submission } = await parseForm(request, actionSchema);
  if (submission.status !== 'success') return data({ done: null, error: 'issued.confirmNeeded' as MessageKey }, { status: 400 });
  if (submission.value.intent === 'rotate-key') {
    await rotateInstitutionKey(institution.id, user.id, context.clientIp);
    return { done: 'credential.rotated' as MessageKey, error: null };
  }
  const revoked = await revokeCredential(submission.value.credentialId, institution.id, user.id, submission.value.reason, context.clientIp);
  return revoked ? { done: 'credential.revokedDone' as MessageKey, error: null } : data({ done: null, error: 'issued.notRevocable' as MessageKey }, { status: 409 });
}

export default function IssuedCredentials() {
  const { institution, filter, list, keys, pageSize } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  const name = locale === 'en' ? institution.nameEn : institution.nameZh;
  const pages = Math.max(1, Math.ceil(list.total / pageSize));
  const query = (page: number) => new URLSearchParams({ ...(filter.q ? { q: filter.q } : {}), ...(filter.status ? { status: filter.status } : {}), page: String(page) }).toString();
  return (
    <section aria-labelledby="registrar-title">
      <RegistrarNav slug={institution.slug} title={t('issued.heading', { institution: name })} />
      {result?.done ? (
        <p className="notice ok" role="status">
          {t(result.done)}
        </p>
      ) : null}
      {result?.error ? (
        <p className="notice warn" role="alert">
          {t(result.error)}
        </p>
      ) : null}
      <Form method="get" className="inline-form" role="search" aria-label={t('issued.search')}>
        <div className="field">
          <label htmlFor="issued-q">{t('issued.search')}</label>
          <input id="issued-q" name="q" type="search" defaultValue={filter.q ?? ''} maxLength={100} />
        </div>
        <div className="field">
          <label htmlFor="issued-status">{t('issued.status')}</label>
          <select id="issued-status" name="status" defaultValue={filter.status ?? ''}>
            <option value="">{t('issued.status.all')}</option>
            <option value="valid">{t('issued.status.valid')}</option>
            <option value="revoked">{t('issued.status.revoked')}</option>
          </select>
        </div>
        <button type="submit" className="button">
          {t('issued.filter')}
        </button>
      </Form>
      <p>{t('issued.count', { n: String(list.total) })}</p>
      <TableScroll label={t('issued.title')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('issued.col.holder')}</th>
              <th scope="col">{t('issued.col.achievement')}</th>
              <th scope="col">{t('issued.col.issued')}</th>
              <th scope="col">{t('issued.col.status')}</th>
              <th scope="col">{t('issued.col.action')}</th>
            </tr>
          </thead>
          <tbody>
            {list.rows.map((c) => (
              <tr key={c.id} data-credential-id={c.id}>
                <td>{c.holder}</td>
                <td>
                  <a href={`/credentials/${c.id}`}>{c.achievement ?? t(c.kind === 'course-completion' ? 'issued.kind.completion' : 'issued.kind.recognition')}</a>
                </td>
                <td>{formatDateTime(locale, new Date(c.issuedAt))}</td>
                <td>{c.revokedAt ? t('issued.revokedOn', { date: formatDateTime(locale, new Date(c.revokedAt)), reason: c.reason ?? '' }) : t('issued.status.valid')}</td>
                <td>
                  {c.revokedAt ? null : (
                    <details>
                      <summary>{t('credential.revoke')}</summary>
                      <Form method="post" className="stacked">
                        <CsrfInput />
                        <input type="hidden" name="intent" value="revoke" />
                        <input type="hidden" name="credentialId" value={c.id} />
                        <div className="field">
                          <label htmlFor={`reason-${c.id}`}>{t('credential.revokeReason')}</label>
                          <input id={`reason-${c.id}`} name="reason" required maxLength={500} />
                        </div>
                        <div className="field checkbox">
                          <input id={`confirm-${c.id}`} type="checkbox" name="confirm" value="yes" required />
                          <label htmlFor={`confirm-${c.id}`}>{t('issued.confirmRevoke', { holder: c.holder })}</label>
                        </div>
                        <button type="submit" className="button danger">
                          {t('credential.revoke')}
                        </button>
                      </Form>
                    </details>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      {pages > 1 ? (
        <nav aria-label={t('issued.pages')}>
          {filter.page > 1 ? <a href={`?${query(filter.page - 1)}`}>{t('issued.prev')}</a> : null} {t('issued.page', { page: String(filter.page), pages: String(pages) })}{' '}
          {filter.page < pages ? <a href={`?${query(filter.page + 1)}`}>{t('issued.next')}</a> : null}
        </nav>
      ) : null}
      <h2>{t('issued.keys')}</h2>
      <p>{t('issued.keysLead')}</p>
      <ul>
        {keys.map((k) => (
          <li key={k.id}>
            <code>{k.id.slice(0, 8)}</code> — {formatDateTime(locale, new Date(k.createdAt))} — {t(k.active ? 'issued.key.active' : 'issued.key.retired')}
          </li>
        ))}
      </ul>
      <Form method="post" className="stacked">
        <CsrfInput />
        <input type="hidden" name="intent" value="rotate-key" />
        <div className="field checkbox">
          <input id="confirm-rotate" type="checkbox" name="confirm" value="yes" required />
          <label htmlFor="confirm-rotate">{t('issued.confirmRotate')}</label>
        </div>
        <button type="submit" className="button">
          {t('credential.rotate')}
        </button>
      </Form>
    </section>
  );
}
