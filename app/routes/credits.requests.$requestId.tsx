import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { z } from 'zod';
import { CsrfInput } from '../components/CsrfInput.js';
import { requireStudent } from '../features/credits/access.server.js';
import { credentialForSubject, issueRecognitionCredential } from '../features/credits/credentials.server.js';
import { ReasonList, StatusBadge } from '../features/credits/ReasonList.js';
import { describeReasons } from '../features/credits/reasons.server.js';
import { DecisionNotice, RecordFacts, Timeline } from '../features/credits/RequestSummary.js';
import { appealDecision, answerMoreInfo, getRequestDetail } from '../features/credits/requests.server.js';
import { parseForm } from '../features/forms.server.js';
import { formatDate, useLocale, useT, type MessageKey } from '../features/i18n/i18n.js';
import { getLocale } from '../features/i18n/locale.server.js';
import { titleMeta } from '../features/i18n/metaTitle.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'credits.detail.title');

const studentActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('answer'), text: z.string({ required_error: 'errors.reasonRequired' }).trim().min(1).max(2000) }),
  z.object({ intent: z.literal('appeal'), text: z.string({ required_error: 'errors.reasonRequired' }).trim().min(1).max(2000) }),
  z.object({ intent: z.literal('credential') }),
]);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireStudent(request);
  const id = z.string().uuid().safeParse(params.requestId);
  const detail = id.success ? await getRequestDetail(id.data, { userId: user.id }) : null;
  if (!detail) throw data({ reason: 'not-found' as const }, { status: 404 });
  const reasons = await describeReasons(detail.request.matchReasons, await getLocale(request));
  const credential = detail.request.status === 'posted' ? await credentialForSubject('credit-recognition', detail.request.id) : null;
  return { ...detail, reasons, credential };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user } = await requireStudent(request);
  const requestId = z.string().uuid().safeParse(params.requestId);
  if (!requestId.success) throw data({ reason: 'not-found' as const }, { status: 404 });
  const { submission } = await parseForm(request, studentActionSchema);
  if (submission.status !== 'success') return data({ error: 'errors.reasonRequired' as MessageKey, params: undefined }, { status: 400 });
  const v = submission.value;
  if (v.intent === 'credential') {
    const issued = await issueRecognitionCredential(requestId.data, user.id);
    if (!issued) return data({ error: 'credits.notFound' as MessageKey, params: undefined }, { status: 404 });
    return { error: null, params: undefined };
  }
  const outcome = v.intent === 'answer' ? await answerMoreInfo(user.id, requestId.data, v.text) : await appealDecision(user.id, requestId.data, v.text);
  if ('ok' in outcome) return { error: null, params: undefined };
  if (outcome.kind === 'not-found') return data({ error: 'credits.notFound' as MessageKey, params: undefined }, { status: 404 });
  if (outcome.kind === 'already-appealed') return data({ error: 'credits.detail.already-appealed' as MessageKey, params: undefined }, { status: 409 });
  if (outcome.kind === 'conflict') return data({ error: 'credits.conflict' as MessageKey, params: { status: outcome.status, by: '' } }, { status: 409 });
  return data({ error: 'errors.formInvalid' as MessageKey, params: undefined }, { status: 400 });
}

function TextForm({ intent, label, submit }: { intent: string; label: string; submit: string }) {
  return (
    <Form method="post" className="stacked">
      <CsrfInput />
      <input type="hidden" name="intent" value={intent} />
      <div className="field">
        <label htmlFor={`${intent}-text`}>{label}</label>
        <textarea id={`${intent}-text`} name="text" required maxLength={2000} rows={3} />
      </div>
      <button type="submit" className="button">
        {submit}
      </button>
    </Form>
  );
}

export default function StudentRequest() {
  const { request, record, rule, timeline, reasons, credential } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const t = useT();
  const locale = useLocale();
  const status = actionData?.params?.status;
  return (
    <section aria-labelledby="request-title">
      <h1 id="request-title">
        {t('credits.detail.title')} <StatusBadge status={request.status} />
      </h1>
      {searchParams.get('submitted') === '1' ? (
        <p className="notice ok" role="status">
          {t('credits.submitted')}
        </p>
      ) : null}
      <DecisionNotice error={actionData?.error} params={actionData?.params ? { ...actionData.params, status: status ? t(`credits.status.${status}` as MessageKey) : '' } : undefined} />
      <RecordFacts record={record} />
      <dl className="facts">
        <dt>{t('credits.detail.target')}</dt>
        <dd>{request.targetKind === 'elective' ? t('credits.elective') : t('credits.target.line', { code: request.targetCode || rule?.targetCode || '', title: request.targetTitle || (locale === 'en' ? rule?.targetTitleEn : rule?.targetTitleZh) || '' })}</dd>
        {request.status === 'posted' ? (
          <>
            <dt>{t('credits.detail.awarded')}</dt>
            <dd>{request.awardedCredits}</dd>
            <dt>{t('credits.detail.converted')}</dt>
            <dd>
              {request.convertedLabel}
              {request.convertedGrade ? ` (${request.convertedGrade})` : ''} · {t('credits.detail.table', { version: request.conversionTableVersion ?? '' })}
            </dd>
          </>
        ) : null}
        {request.decisionReason && request.status === 'denied' ? (
          <>
            <dt>{t('credits.detail.reason')}</dt>
            <dd>{request.decisionReason}</dd>
          </>
        ) : null}
      </dl>
      <ReasonList reasons={reasons} />
      {request.appealedAt ? <p>{t('credits.detail.appealed', { date: formatDate(locale, new Date(request.appealedAt)), reason: request.appealReason ?? '' })}</p> : null}
      {request.status === 'more-info' ? <TextForm intent="answer" label={t('credits.detail.answer')} submit={t('credits.detail.answerSubmit')} /> : null}
      {request.status === 'denied' && !request.appealedAt ? <TextForm intent="appeal" label={t('credits.detail.appealReason')} submit={t('credits.detail.appealSubmit')} /> : null}
      {request.status === 'posted' ? (
        <section aria-labelledby="credential-title">
          <h2 id="credential-title">{t('credits.detail.credential')}</h2>
          {credential ? (
            <p>
              <a href={`/credentials/${credential.id}`}>{t('credential.title')}</a> · <a href={`/credentials/${credential.id}/download`}>{t('credential.download')}</a>
            </p>
          ) : (
            <Form method="post">
              <CsrfInput />
              <input type="hidden" name="intent" value="credential" />
              <button type="submit" className="button">
                {t('credits.detail.issueCredential')}
              </button>
            </Form>
          )}
        </section>
      ) : null}
      <h2>{t('credits.detail.timeline')}</h2>
      <Timeline entries={timeline} />
    </section>
  );
}
