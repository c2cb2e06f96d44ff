import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, useLoaderData } from '@remix-run/react';
import { peopleSearchSchema } from '../features/admin/schemas.js';
import { searchPeople } from '../features/admin/people.server.js';
import { PendingRoleGrants } from '../features/admin/PendingRoleGrants.js';
import { listPendingGrants } from '../features/admin/role-grants.server.js';
import { useT } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { requirePermission } from '../features/identity/guards.server.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'admin.people');

export async function loader({ request, context }: LoaderFunctionArgs) {
  const admin = await requirePermission(request, context, 'admin:people');
  const parsed = peopleSearchSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  const q = parsed.success ? (parsed.data.q ?? '') : '';
  return { q, people: q ? await searchPeople(q) : null, pending: await listPendingGrants(), viewerId: admin.id };
}

export default function PeopleAdmin() {
  const { q, people, pending, viewerId } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <Form method="get" className="row-form" role="search">
        <div className="field">
          <label htmlFor="q">{t('admin.people.search')}</label>
          <input id="q" name="q" type="search" defaultValue={q} maxLength={100} />
        </div>
        <button type="submit" className="button">
          {t('admin.people.searchSubmit')}
        </button>
      </Form>
      {people === null ? null : people.length === 0 ? (
        <p>{t('admin.people.none')}</p>
      ) : (
        <ul>
          {people.map((p) => (
            <li key={p.id}>
              <a href={`/admin/people/${p.id}`}>
                {p.displayName ?? p.pseudonym} <span className="muted">{p.pseudonym}</span>
                {p.erasedAt ? ` ${t('admin.people.erased')}` : ''}
              </a>
            </li>
          ))}
        </ul>
      )}
      <PendingRoleGrants grants={pending} viewerId={viewerId} />
    </>
  );
}
