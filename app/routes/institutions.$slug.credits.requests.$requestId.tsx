import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { CsrfInput } from '../components/CsrfInput.js';
import { MembershipVerification } from '../components/MembershipVerification.js';
import { requireRegistrar } from '../features/credits/access.server.js';
import { convertGrade } from '../features/credits/conversion.js';
import { parseCreditTenths, parseHundredths } from '../features/credits/credit-units.js';
import { approveRequest, askForInformation, denyRequest, type DecisionRefusal } from '../features/credits/decisions.server.js';
import { getPolicy } from '../features/credits/policy.server.js';
import { ReasonList, StatusBadge } from '../features/credits/ReasonList.js';
import { describeReasons } from '../features/credits/reasons.server.js';
import { RegistrarNav } from '../features/credits/RegistrarNav.js';
import { DecisionNotice, RecordFacts, Timeline } from '../features/credits/RequestSummary.js';
import { getRequestDetail } from '../features/credits/requests.server.js';
import { createRule } from '../features/credits/rules.server.js';
import { recordAudit } from '../features/audit/audit.server.js';
import { parseForm } from '../features/forms.server.js';
import { useLocale, useT, type MessageKey } from '../features/i18n/i18n.js';
import { getLocale } from '../features/i18n/locale.server.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { getServices } from '../services.server.js';
import { courses } from '../../db/schema/index.js';
import { eq } from 'drizzle-orm';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'credits.detail.title');

const text = z.string({ required_error: 'errors.reasonRequired' }).trim().min(1, 'errors.reasonRequired').max(2000);
const decisionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('approve'), version: z.coerce.number().int(), credits: z.string().regex(/^\d{1,2}(\.\d)?$/), reason: z.string().trim().max(2000).default('') }),
  z.object({ intent: z.literal('deny'), version: z.coerce.number().int(), reason: text }),
  z.object({ intent: z.literal('ask-info'), version: z.coerce.number().int(), reason: text }),
  z.object({ intent: z.literal('make-rule'), autoApprove: z.literal('on').optional() }),
]);

async function loadDetail(slugInstitutionId: string, requestId: string | undefined) {
  const id = z.string().uuid().safeParse(requestId);
  const detail = id.success ? await getRequestDetail(id.data, { institutionId: slugInstitutionId }) : null;
  if (!detail) throw data({ reason: 'not-found' as const }, { status: 404 });
  return detail;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { institution } = await requireRegistrar(request, context, params.slug);
  const detail = await loadDetail(institution.id, params.requestId);
  const policy = await getPolicy(institution.id);
  const grade = detail.record.finalGrade === null ? null : parseHundredths(detail.record.finalGrade);
  const conversion = convertGrade(policy.table.definition, grade);
  const reasons = await describeReasons(detail.request.matchReasons, await getLocale(request));
  return { institution, ...detail, reasons, conversion, tableVersion: policy.table.version };
}

function refusalMessage(r: DecisionRefusal): { error: MessageKey; params?: Record<string, string> } {
  if (r.kind === 'conflict') return { error: 'credits.conflict', params: { status: r.status, by: r.decidedBy ?? '' } };
  if (r.kind === 'credits-exceed-source') return { error: 'registrar.creditsExceed', params: { credits: r.sourceCredits } };
  if (r.kind === 'grade-out-of-range') return { error: 'registrar.gradeOutOfRange' };
  return { error: 'credits.notFound' };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, institution } = await requireRegistrar(request, context, params.slug);
  const detail = await loadDetail(institution.id, params.requestId);
  const { submission } = await parseForm(request, decisionSchema);
  if (submission.status !== 'success') return data({ error: 'errors.reasonRequired' as MessageKey, params: undefined, done: null }, { status: 400 });
  const v = submission.value;
  const id = detail.request.id;
  const audit = (details: Record<string, unknown>) => recordAudit(getServices().db, { action: 'credits.decided', actorUserId: user.id, subjectUserId: detail.request.userId, institutionId: institution.id, ip: context.clientIp, details: { requestId: id, ...details } });
  if (v.intent === 'make-rule') {
    const [course] = await getServices().db.select({ slug: courses.slug }).from(courses).where(eq(courses.id, detail.record.courseId));
    const created = await createRule(
      {
        institutionId: institution.id,
        targetKind: detail.request.targetKind,
        targetCode: detail.request.targetCode,
        targetTitleZh: detail.request.targetTitle,
        targetTitleEn: detail.request.targetTitle,
        credits: detail.request.awardedCredits ?? detail.record.credits,
        minGrade: null,
        effectiveFrom: detail.record.completedOn,
        effectiveUntil: null,
        autoApprove: v.autoApprove === 'on',
        publicNote: '',
        privateNote: '',
        alternatives: [[course!.slug]],
        fromRequestId: id,
      },
      user.id,
    );
    if ('reason' in created) return data({ error: 'rules.creditsExceed' as MessageKey, params: undefined, done: null }, { status: 422 });
    await recordAudit(getServices().db, { action: 'credits.rule-saved', actorUserId: user.id, institutionId: institution.id, ip: context.clientIp, details: { ruleId: created.id, fromRequestId: id } });
    return { error: null, params: undefined, done: 'registrar.makeRule.done' as MessageKey };
  }
  if (v.intent === 'approve') {
    const result = await approveRequest(institution.id, { requestId: id, version: v.version, creditsTenths: parseCreditTenths(v.credits)! }, user.id, v.reason ?? '');
    const refusal = result.refused.get(id);
    if (refusal) {
      const m = refusalMessage(refusal);
      return data({ ...m, params: m.params, done: null }, { status: refusal.kind === 'conflict' ? 409 : refusal.kind === 'not-found' ? 404 : 422 });
    }
    await audit({ decision: 'approved', credits: v.credits });
    return { error: null, params: undefined, done: 'registrar.decided' as MessageKey };
  }
  const outcome = v.intent === 'deny' ? await denyRequest(institution.id, id, v.version, user.id, v.reason) : await askForInformation(institution.id, id, v.version, user.id, v.reason);
  if (!('ok' in outcome)) {
    const m = refusalMessage(outcome);
    return data({ ...m, params: m.params, done: null }, { status: outcome.kind === 'conflict' ? 409 : 404 });
  }
  await audit({ decision: v.intent });
  return { error: null, params: undefined, done: 'registrar.decided' as MessageKey };
}

function ReasonForm({ intent, version, label, submit, danger = false }: { intent: string; version: number; label: string; submit: string; danger?: boolean }) {
  return (
    <Form method="post" className="stacked">
      <CsrfInput />
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="version" value={version} />
      <div className="field">
        <label htmlFor={`${intent}-reason`}>{label}</label>
        <textarea id={`${intent}-reason`} name="reason" required maxLength={2000} rows={2} />
      </div>
      <button type="submit" className={danger ? 'button danger' : 'button secondary'}>
        {submit}
      </button>
    </Form>
  );
}

export default function RegistrarRequest() {
  const { institution, request, record, rule, timeline, reasons, conversion, tableVersion, student, membership } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  const pick = (zh: string, en: string | null) => (locale === 'en' && en ? en : zh);
  const decidable = request.status === 'in-review';
  const conflictStatus = actionData?.params?.status;
  return (
    <section aria-labelledby="registrar-title">
      <RegistrarNav slug={institution.slug} title={t('registrar.title', { institution: pick(institution.nameZh, institution.nameEn) })} />
      <h2>
        {t('credits.detail.title')}: {student.displayName ?? student.pseudonym} <StatusBadge status={request.status} />
      </h2>
      {actionData?.done ? (
        <p className="notice ok" role="status">
          {t(actionData.done)}
        </p>
      ) : null}
      <DecisionNotice
        error={actionData?.error}
        params={actionData?.params ? { ...actionData.params, status: conflictStatus ? t(`credits.status.${conflictStatus}` as MessageKey) : '', by: actionData.params.by ? t('credits.conflict.by', { name: actionData.params.by }) : '' } : undefined}
      />
      <div className="panels">
        <section className="panel" aria-labelledby="rec-title">
          <h3 id="rec-title">{t('registrar.detail.record')}</h3>
          <RecordFacts record={record} />
          <dl className="facts">
            <dt>{t('credits.detail.verification')}</dt>
            <dd>
              <MembershipVerification facts={membership} />
            </dd>
            <dt>{t('credits.detail.target')}</dt>
            <dd>{request.targetKind === 'elective' ? t('credits.elective') : t('credits.target.line', { code: request.targetCode, title: request.targetTitle })}</dd>
          </dl>
          {request.note ? <p>{request.note}</p> : null}
        </section>
        <section className="panel" aria-labelledby="rule-title">
          <h3 id="rule-title">{t('registrar.detail.rule')}</h3>
          {rule ? (
            <p>
              {rule.targetKind === 'elective' ? t('credits.elective') : `${rule.targetCode} ${pick(rule.targetTitleZh, rule.targetTitleEn)}`} · {rule.credits} · {rule.autoApprove ? t('rules.auto') : t('rules.manual')}
              {rule.privateNote ? <br /> : null}
              {rule.privateNote}
            </p>
          ) : (
            <p>{t('registrar.detail.noRule')}</p>
          )}
          <h4>{t('registrar.detail.reasons')}</h4>
          <ReasonList reasons={reasons} />
        </section>
        <section className="panel" aria-labelledby="conv-title">
          <h3 id="conv-title">{t('registrar.detail.conversion')}</h3>
          <p>
            {conversion.ok
              ? t('registrar.detail.conversionLine', { version: tableVersion, label: `${conversion.label}${conversion.pointsHundredths !== null ? ` (${(conversion.pointsHundredths / 100).toFixed(2)})` : ''}` })
              : conversion.reason === 'grade-required'
                ? t('registrar.detail.conversionPass')
                : t('registrar.gradeOutOfRange')}
          </p>
        </section>
      </div>
      {decidable ? (
        <div className="panels">
          <Form method="post" className="stacked panel">
            <CsrfInput />
            <input type="hidden" name="intent" value="approve" />
            <input type="hidden" name="version" value={request.version} />
            <div className="field">
              <label htmlFor="approve-credits">{t('registrar.approve.credits')}</label>
              <input id="approve-credits" name="credits" inputMode="decimal" pattern="\d{1,2}(\.\d)?" defaultValue={request.awardedCredits ?? record.credits} required />
            </div>
            <div className="field">
              <label htmlFor="approve-reason">{t('registrar.approve.reason')}</label>
              <input id="approve-reason" name="reason" maxLength={2000} />
            </div>
            <button type="submit" className="button">
              {t('registrar.approve')}
            </button>
          </Form>
          <div className="panel">
            <ReasonForm intent="deny" version={request.version} label={t('registrar.deny.reason')} submit={t('registrar.deny')} danger />
          </div>
          <div className="panel">
            <ReasonForm intent="ask-info" version={request.version} label={t('registrar.askInfo.question')} submit={t('registrar.askInfo')} />
          </div>
        </div>
      ) : null}
      {request.status === 'posted' && !rule?.autoApprove ? (
        <Form method="post" className="stacked">
          <CsrfInput />
          <input type="hidden" name="intent" value="make-rule" />
          <p className="hint">{t('registrar.makeRule.hint')}</p>
          <label>
            <input type="checkbox" name="autoApprove" /> {t('rules.autoApprove')}
          </label>{' '}
          <button type="submit" className="button secondary">
            {t('registrar.makeRule')}
          </button>
        </Form>
      ) : null}
      <h3>{t('credits.detail.timeline')}</h3>
      <Timeline entries={timeline} />
    </section>
  );
}
