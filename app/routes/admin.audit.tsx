import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { auditActions } from '../../db/schema/audit.js';
import { listAuditEntries } from '../features/admin/audit-log.server.js';
import { TableScroll } from '../components/TableScroll.js';
import { formatDateTime, useLocale, useT, type MessageKey } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { requirePermission } from '../features/identity/guards.server.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'admin.audit');

const filterSchema = z.object({
  action: z.enum(auditActions).optional().catch(undefined),
  before: z.coerce.number().int().positive().optional().catch(undefined),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, 'admin:audit');
  const filter = filterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const page = await listAuditEntries(filter);
  return { ...page, action: filter.action ?? '' };
}

export default function AuditAdmin() {
  const { entries, nextBefore, action } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  return (
    <>
      <p className="muted">{t('admin.audit.timezone')}</p>
      <Form method="get" className="row-form">
        <div className="field">
          <label htmlFor="action">{t('admin.audit.filter')}</label>
          <select id="action" name="action" defaultValue={action}>
            <option value="">{t('admin.audit.all')}</option>
            {auditActions.map((a) => (
              <option key={a} value={a}>
                {t(`audit.${a}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button">
          {t('admin.people.searchSubmit')}
        </button>
      </Form>
      <TableScroll label={t('admin.audit')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('admin.audit.when')}</th>
              <th scope="col">{t('admin.audit.action')}</th>
              <th scope="col">{t('admin.audit.actor')}</th>
              <th scope="col">{t('admin.audit.subject')}</th>
              <th scope="col">{t('admin.audit.details')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id}>
                <td>
                  <time dateTime={e.occurredAt.toISOString()}>{formatDateTime(locale, e.occurredAt)}</time>
                </td>
                <td>
                  {t(`audit.${e.action}` as MessageKey)} <code className="muted">{e.action}</code>
                </td>
                <td>{e.actor ?? '—'}</td>
                <td>{e.subject ?? '—'}</td>
                <td>
                  <code>{JSON.stringify(e.details)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      {nextBefore ? (
        <p>
          <a href={`/admin/audit?${new URLSearchParams({ ...(action ? { action } : {}), before: String(nextBefore) })}`}>{t('admin.audit.older')} →</a>
        </p>
      ) : null}
    </>
  );
}
