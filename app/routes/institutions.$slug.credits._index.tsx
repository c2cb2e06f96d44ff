import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { creditRequestStatuses } from '../../db/schema/credits.js';
import { CsrfInput } from '../components/CsrfInput.js';
import { MembershipVerification } from '../components/MembershipVerification.js';
import { TableScroll } from '../components/TableScroll.js';
import { requireRegistrar } from '../features/credits/access.server.js';
import { bulkApproveByRule } from '../features/credits/decisions.server.js';
import { StatusBadge } from '../features/credits/ReasonList.js';
import { listQueue, queueFacets, rulesWithPendingRequests, turnaround } from '../features/credits/queue.server.js';
import { RegistrarNav } from '../features/credits/RegistrarNav.js';
import { recordAudit } from '../features/audit/audit.server.js';
import { parseForm } from '../features/forms.server.js';
import { formatDateTime, useLocale, useT, type MessageKey } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { getServices } from '../services.server.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'registrar.queue');

const filterSchema = z.object({
  status: z.enum(creditRequestStatuses).optional().catch(undefined),
  source: z.string().uuid().optional().catch(undefined),
  course: z.string().uuid().optional().catch(undefined),
  age: z.coerce.number().int().min(1).max(3650).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100000).catch(1),
});

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { institution } = await requireRegistrar(request, context, params.slug);
  const url = new URL(request.url);
  const filter = filterSchema.parse(Object.fromEntries([...url.searchParams].filter(([, v]) => v !== '')));
  const [queue, facets, stats, bulk] = await Promise.all([
    listQueue(institution.id, { status: filter.status, sourceInstitutionId: filter.source, sourceCourseId: filter.course, minAgeDays: filter.age, page: filter.page }),
    queueFacets(institution.id),
    turnaround(institution.id),
    rulesWithPendingRequests(institution.id),
  ]);
  return { institution, filter, queue, facets, stats, bulk };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, institution } = await requireRegistrar(request, context, params.slug);
  const { submission } = await parseForm(request, z.object({ intent: z.literal('bulk-approve'), ruleId: z.string().uuid() }));
  if (submission.status !== 'success') return data({ approved: 0 }, { status: 400 });
  const result = await bulkApproveByRule(institution.id, submission.value.ruleId, user.id);
  await recordAudit(getServices().db, { action: 'credits.decided', actorUserId: user.id, institutionId: institution.id, ip: context.clientIp, details: { bulkByRule: submission.value.ruleId, approved: result.approved.length } });
  return { approved: result.approved.length };
}

export default function RegistrarQueue() {
  const { institution, filter, queue, facets, stats, bulk } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  const pick = (zh: string, en: string | null) => (locale === 'en' && en ? en : zh);
  const pageLink = (page: number) => {
    const p = new URLSearchParams(Object.entries({ ...filter, page }).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])));
    return `?${p.toString()}`;
  };
  return (
    <section aria-labelledby="registrar-title">
      <RegistrarNav slug={institution.slug} title={t('registrar.title', { institution: pick(institution.nameZh, institution.nameEn) })} />
      <p>{stats.medianDays === null ? t('registrar.turnaround.none') : t('registrar.turnaround', { days: stats.medianDays, count: stats.decided })}</p>
      {actionData ? (
        <p className="notice ok" role="status">
          {t('registrar.bulk.done', { count: actionData.approved })}
        </p>
      ) : null}
      <Form method="get" className="filters" aria-label={t('registrar.filter')}>
        <div className="field">
          <label htmlFor="f-status">{t('registrar.filter.status')}</label>
          <select id="f-status" name="status" defaultValue={filter.status ?? ''}>
            <option value="">{t('registrar.filter.all')}</option>
            {creditRequestStatuses.map((s) => (
              <option key={s} value={s}>
                {t(`credits.status.${s}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-source">{t('registrar.filter.source')}</label>
          <select id="f-source" name="source" defaultValue={filter.source ?? ''}>
            <option value="">{t('registrar.filter.all')}</option>
            {facets.sources.map((s) => (
              <option key={s.id} value={s.id}>
                {pick(s.nameZh, s.nameEn)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-course">{t('registrar.filter.course')}</label>
          <select id="f-course" name="course" defaultValue={filter.course ?? ''}>
            <option value="">{t('registrar.filter.all')}</option>
            {facets.courses.map((c) => (
              <option key={c.id} value={c.id}>
                {pick(c.titleZh, c.titleEn)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-age">{t('registrar.filter.age')}</label>
          <input id="f-age" name="age" type="number" min={1} max={3650} defaultValue={filter.age ?? ''} />
        </div>
        <button type="submit" className="button secondary">
          {t('registrar.filter.apply')}
        </button>
      </Form>
      {queue.rows.length === 0 ? (
        <p>{t('registrar.queue.none')}</p>
      ) : (
        <TableScroll label={t('registrar.queue')}>
          <table>
            <caption className="muted">{t('common.page', { page: filter.page })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('registrar.queue.student')}</th>
                <th scope="col">{t('registrar.queue.course')}</th>
                <th scope="col">{t('registrar.queue.grade')}</th>
                <th scope="col">{t('registrar.queue.submitted')}</th>
                <th scope="col">{t('registrar.queue.status')}</th>
              </tr>
            </thead>
            <tbody>
              {queue.rows.map((r) => (
                <tr key={r.id}>
                  <td>
                    {r.student ?? r.pseudonym}
                    <br />
                    <small className="muted">
                      <span className="visually-hidden">{t('credits.queue.verification')}: </span>
                      <MembershipVerification facts={r} />
                    </small>
                  </td>
                  <td>
                    <a href={`/institutions/${institution.slug}/credits/requests/${r.id}`}>{pick(r.courseTitleZh, r.courseTitleEn)}</a>
                    <br />
                    <span className="muted">{pick(r.sourceZh, r.sourceEn)}</span>
                  </td>
                  <td>{r.grade ?? t('credits.record.passOnly')}</td>
                  <td>{formatDateTime(locale, new Date(r.submittedAt))}</td>
                  <td>
                    <StatusBadge status={r.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <nav className="pager" aria-label={t('common.page', { page: filter.page })}>
        {filter.page > 1 ? <a href={pageLink(filter.page - 1)}>{t('registrar.prev')}</a> : null} {queue.hasNext ? <a href={pageLink(filter.page + 1)}>{t('registrar.next')}</a> : null}
      </nav>
      {bulk.length ? (
        <section aria-labelledby="bulk-title">
          <h2 id="bulk-title">{t('registrar.bulk.title')}</h2>
          <ul>
            {bulk.map((b) => (
              <li key={b.ruleId}>
                <Form method="post" className="inline-form">
                  <CsrfInput />
                  <input type="hidden" name="intent" value="bulk-approve" />
                  <input type="hidden" name="ruleId" value={b.ruleId} />
                  {t('registrar.bulk.line', { target: b.targetKind === 'elective' ? t('credits.elective') : `${b.targetCode} ${pick(b.targetTitleZh, b.targetTitleEn)}`, count: b.pending })}{' '}
                  <button type="submit" className="button">
                    {t('registrar.bulk.submit')}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </section>
  );
}
