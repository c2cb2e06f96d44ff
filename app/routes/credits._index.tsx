import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { ruleTargetKinds } from '../../db/schema/credits.js';
import { CsrfInput } from '../components/CsrfInput.js';
import { IntentButton } from '../components/IntentButton.js';
import { requireStudent } from '../features/credits/access.server.js';
import { completionCredentialsOf, issueCompletionCredential } from '../features/credits/credentials.server.js';
import { revokedCredentialsOf } from '../features/credits/issued-list.server.js';
import { StatusBadge } from '../features/credits/ReasonList.js';
import { listMyCompletionRecords, listMyRequests, requestedRecordIds, submitCreditRequest } from '../features/credits/requests.server.js';
import { parseForm } from '../features/forms.server.js';
import { isVerifiedMembership } from '../features/identity/verified-membership.js';
import { formatDateTime, useLocale, useT, type MessageKey } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'credits.title');

const requestSchema = z.object({
  intent: z.literal('request').default('request'),
  completionRecordId: z.string().uuid(),
  institutionId: z.string().uuid(),
  targetKind: z.enum(ruleTargetKinds),
  targetCode: z.string().trim().max(40).default(''),
  targetTitle: z.string().trim().max(200).default(''),
  note: z.string().trim().max(2000).default(''),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, studentAt } = await requireStudent(request);
  const [records, requests, requested, credentials, revoked] = await Promise.all([
    listMyCompletionRecords(user.id),
    listMyRequests(user.id),
    requestedRecordIds(user.id),
    completionCredentialsOf(user.id),
    revokedCredentialsOf(user.id),
  ]);
  return { records: records.map((r) => ({ ...r, requested: requested.has(r.id), credentialId: credentials.get(r.id) ?? null })), requests, studentAt, revoked };
}

const formSchema = z.union([z.object({ intent: z.literal('completion-credential'), completionRecordId: z.string().uuid() }), requestSchema]);

export async function action({ request }: ActionFunctionArgs) {
  const { user, studentAt } = await requireStudent(request);
  const { submission } = await parseForm(request, formSchema);
  if (submission.status === 'success' && submission.value.intent === 'completion-credential') {
    const issued = await issueCompletionCredential(submission.value.completionRecordId, user.id);
    if (!issued) return data({ error: 'credits.refused.record-not-yours' as MessageKey }, { status: 404 });
    return redirect(`/credentials/${issued.id}`);
  }
  if (submission.status !== 'success' || submission.value.intent !== 'request') return data({ error: 'errors.formInvalid' as MessageKey }, { status: 400 });
  const outcome = await submitCreditRequest(
    user.id,
    studentAt,
    { ...submission.value, targetCode: submission.value.targetCode ?? '', targetTitle: submission.value.targetTitle ?? '', note: submission.value.note ?? '' },
  );
  if ('refused' in outcome) {
    const status = { 'record-not-yours': 404, 'not-your-institution': 403, 'membership-unverified': 403, duplicate: 409, 'grade-out-of-range': 422 }[outcome.refused];
    return data({ error: `credits.refused.${outcome.refused}` as MessageKey }, { status });
  }
  return redirect(`/credits/requests/${outcome.id}?submitted=1`);
}

export default function CreditsHome() {
  const { records, requests, studentAt, revoked } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  const pick = (zh: string, en: string | null) => (locale === 'en' && en ? en : zh);
  const askable = studentAt.filter(isVerifiedMembership);
  const unverified = studentAt.filter((m) => !isVerifiedMembership(m));
  return (
    <section aria-labelledby="credits-title">
      <h1 id="credits-title">{t('credits.title')}</h1>
      <p>{t('credits.lead')}</p>
      <p>
        <a href="/credits/transcript">{t('credits.transcriptLink')}</a> · <a href="/credits/lookup">{t('credits.lookupLink')}</a>
      </p>
      {unverified.length ? (
        <p className="notice warn">
          {t('credits.request.unverified', { institutions: unverified.map((m) => pick(m.institutionNameZh, m.institutionNameEn)).join(t('common.listSeparator')) })}{' '}
          {t('membership.howToVerify')}
        </p>
      ) : null}
      {actionData?.error ? (
        <p className="notice warn" role="alert">
          {t(actionData.error)}
        </p>
      ) : null}
      {revoked.length ? (
        <section className="notice warn" aria-labelledby="revoked-title">
          <h2 id="revoked-title">{t('holder.revoked.title')}</h2>
          <ul>
            {revoked.map((c) => (
              <li key={c.id}>
                <a href={`/credentials/${c.id}`}>{t('holder.revoked.line', { achievement: c.achievement ?? c.id, date: c.revokedAt ? formatDateTime(locale, new Date(c.revokedAt)) : '', reason: c.reason ?? '' })}</a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <h2>{t('credits.requests')}</h2>
      {requests.length === 0 ? (
        <p>{t('credits.requests.none')}</p>
      ) : (
        <ul>
          {requests.map((r) => (
            <li key={r.id}>
              <a href={`/credits/requests/${r.id}`}>{pick(r.courseTitleZh, r.courseTitleEn)}</a> ({pick(r.sourceZh, r.sourceEn)}) <StatusBadge status={r.status} />{' '}
              <span className="muted">{formatDateTime(locale, new Date(r.submittedAt))}</span>
            </li>
          ))}
        </ul>
      )}
      <h2>{t('credits.records')}</h2>
      {records.length === 0 ? <p>{t('credits.records.none')}</p> : null}
      {records.map((r) => (
        <article key={r.id} className="panel" aria-labelledby={`rec-${r.id}`}>
          <h3 id={`rec-${r.id}`}>{pick(r.courseTitleZh, r.courseTitleEn)}</h3>
          <p>
            {t('credits.record.line', { course: pick(r.courseTitleZh, r.courseTitleEn), institution: pick(r.institutionNameZh, r.institutionNameEn), credits: r.credits, date: r.completedOn })}
            {' · '}
            {r.finalGrade === null ? t('credits.record.passOnly') : t('credits.record.grade', { grade: r.finalGrade })}
          </p>
          <p>
            {r.credentialId ? (
              <a href={`/credentials/${r.credentialId}`}>{t('credits.detail.credential')}</a>
            ) : (
              <IntentButton intent="completion-credential" fields={{ completionRecordId: r.id }} label={t('credits.detail.issueCredential')} />
            )}
          </p>
          {r.requested ? (
            <p className="muted">{t('credits.request.already')}</p>
          ) : askable.length ? (
            <details>
              <summary>{t('credits.request.title')}</summary>
              <Form method="post" className="stacked">
                <CsrfInput />
                <input type="hidden" name="intent" value="request" />
                <input type="hidden" name="completionRecordId" value={r.id} />
                <div className="field">
                  <label htmlFor={`inst-${r.id}`}>{t('credits.request.institution')}</label>
                  <select id={`inst-${r.id}`} name="institutionId">
                    {askable.map((m) => (
                      <option key={m.institutionId} value={m.institutionId}>
                        {pick(m.institutionNameZh, m.institutionNameEn)}
                      </option>
                    ))}
                  </select>
                </div>
                <fieldset>
                  <legend>{t('credits.request.target')}</legend>
                  <label>
                    <input type="radio" name="targetKind" value="elective" defaultChecked /> {t('credits.request.target.elective')}
                  </label>
                  <label>
                    <input type="radio" name="targetKind" value="course" /> {t('credits.request.target.course')}
                  </label>
                </fieldset>
                <div className="field">
                  <label htmlFor={`code-${r.id}`}>{t('credits.request.targetCode')}</label>
                  <input id={`code-${r.id}`} name="targetCode" maxLength={40} />
                </div>
                <div className="field">
                  <label htmlFor={`title-${r.id}`}>{t('credits.request.targetTitle')}</label>
                  <input id={`title-${r.id}`} name="targetTitle" maxLength={200} />
                </div>
                <div className="field">
                  <label htmlFor={`note-${r.id}`}>{t('credits.request.note')}</label>
                  <textarea id={`note-${r.id}`} name="note" maxLength={2000} rows={3} />
                </div>
                <button type="submit" className="button">
                  {t('credits.request.submit')}
                </button>
              </Form>
            </details>
          ) : null}
        </article>
      ))}
    </section>
  );
}
