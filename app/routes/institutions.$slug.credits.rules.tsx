import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { ruleTargetKinds } from '../../db/schema/credits.js';
import { CsrfInput } from '../components/CsrfInput.js';
import { IntentButton } from '../components/IntentButton.js';
import { requireRegistrar } from '../features/credits/access.server.js';
import { RegistrarNav } from '../features/credits/RegistrarNav.js';
import { createRule, listRules, parseAlternatives, setRuleActive } from '../features/credits/rules.server.js';
import { recordAudit } from '../features/audit/audit.server.js';
import { parseForm } from '../features/forms.server.js';
import { useLocale, useT, type MessageKey } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { getServices } from '../services.server.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'rules.title');

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const ruleFormSchema = z.discriminatedUnion('intent', [
  z.object({
      intent: z.literal('create'),
      sources: z.string().trim().min(1).max(2000),
      targetKind: z.enum(ruleTargetKinds),
      targetCode: z.string().trim().max(40).default(''),
      targetTitleZh: z.string().trim().max(200).default(''),
      targetTitleEn: z.string().trim().max(200).default(''),
      credits: z.string().trim().max(8),
      minGrade: z.string().trim().max(8).optional(),
      effectiveFrom: day,
      effectiveUntil: day.optional(),
      autoApprove: z.literal('on').optional(),
      publicNote: z.string().trim().max(2000).default(''),
      privateNote: z.string().trim().max(2000).default(''),
    }),
  z.object({ intent: z.literal('retire'), ruleId: z.string().uuid() }),
  z.object({ intent: z.literal('restore'), ruleId: z.string().uuid() }),
]).superRefine((v, ctx) => {
  if (v.intent !== 'create') return;
  if (v.effectiveUntil && v.effectiveUntil < v.effectiveFrom) ctx.addIssue({ code: 'custom', path: ['effectiveUntil'], message: 'errors.formInvalid' });
  if (v.targetKind === 'course' && !v.targetCode) ctx.addIssue({ code: 'custom', path: ['targetCode'], message: 'errors.required' });
});

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { institution } = await requireRegistrar(request, context, params.slug);
  return { institution, rules: await listRules(institution.id) };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, institution } = await requireRegistrar(request, context, params.slug);
  const { submission } = await parseForm(request, ruleFormSchema);
  if (submission.status !== 'success') return data({ error: 'errors.formInvalid' as MessageKey, params: undefined, saved: false }, { status: 400 });
  const v = submission.value;
  if (v.intent !== 'create') {
    const ok = await setRuleActive(institution.id, v.ruleId, v.intent === 'restore', user.id);
    return ok ? { error: null, params: undefined, saved: true } : data({ error: 'credits.notFound' as MessageKey, params: undefined, saved: false }, { status: 404 });
  }
  const created = await createRule(
    {
      institutionId: institution.id,
      targetKind: v.targetKind,
      targetCode: v.targetCode ?? '',
      targetTitleZh: v.targetTitleZh ?? '',
      targetTitleEn: v.targetTitleEn ?? '',
      credits: v.credits,
      minGrade: v.minGrade ?? null,
      effectiveFrom: v.effectiveFrom,
      effectiveUntil: v.effectiveUntil ?? null,
      autoApprove: v.autoApprove === 'on',
      publicNote: v.publicNote ?? '',
      privateNote: v.privateNote ?? '',
      alternatives: parseAlternatives(v.sources),
    },
    user.id,
  );
  if ('reason' in created) {
    if (created.reason === 'unknown-course') return data({ error: 'rules.unknownCourse' as MessageKey, params: { slugs: created.slugs.join(', ') }, saved: false }, { status: 422 });
    if (created.reason === 'credits-exceed-source') return data({ error: 'rules.creditsExceed' as MessageKey, params: undefined, saved: false }, { status: 422 });
    return data({ error: 'rules.badNumber' as MessageKey, params: undefined, saved: false }, { status: 400 });
  }
  await recordAudit(getServices().db, { action: 'credits.rule-saved', actorUserId: user.id, institutionId: institution.id, ip: context.clientIp, details: { ruleId: created.id } });
  return { error: null, params: undefined, saved: true };
}

function TextInput({ name, label, ...rest }: { name: string; label: string } & React.InputHTMLAttributes<HTMLInputElement>) {
  return (
    <div className="field">
      <label htmlFor={`rule-${name}`}>{label}</label>
      <input id={`rule-${name}`} name={name} {...rest} />
    </div>
  );
}

export default function RulesPage() {
  const { institution, rules } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  const pick = (zh: string, en: string | null) => (locale === 'en' && en ? en : zh);
  return (
    <section aria-labelledby="registrar-title">
      <RegistrarNav slug={institution.slug} title={t('registrar.title', { institution: pick(institution.nameZh, institution.nameEn) })} />
      {actionData?.saved ? (
        <p className="notice ok" role="status">
          {t('rules.saved')}
        </p>
      ) : null}
      {actionData?.error ? (
        <p className="notice warn" role="alert">
          {t(actionData.error, actionData.params)}
        </p>
      ) : null}
      <h2>{t('rules.title')}</h2>
      {rules.length === 0 ? <p>{t('rules.none')}</p> : null}
      <ul className="rules">
        {rules.map((r) => {
          const alternatives = [...new Set(r.sources.map((s) => s.alternative))];
          return (
            <li key={r.id} className="panel">
              <strong>{r.targetKind === 'elective' ? t('credits.elective') : `${r.targetCode} ${pick(r.targetTitleZh, r.targetTitleEn)}`}</strong> · {r.credits} ·{' '}
              {r.autoApprove ? t('rules.auto') : t('rules.manual')} · {r.effectiveUntil ? t('rules.windowUntil', { from: r.effectiveFrom, until: r.effectiveUntil }) : t('rules.window', { from: r.effectiveFrom })}
              {r.minGrade ? ` · ≥ ${r.minGrade}` : ''}
              {r.active ? null : <em> ({t('rules.inactive')})</em>}
              <ul>
                {alternatives.map((a) => (
                  <li key={a}>
                    {t('rules.alternative', { n: a })}:{' '}
                    {r.sources
                      .filter((s) => s.alternative === a)
                      .map((s) => `${pick(s.titleZh, s.titleEn)} (${pick(s.institutionZh, s.institutionEn)})`)
                      .join(' + ')}
                  </li>
                ))}
              </ul>
              {r.publicNote ? <p>{r.publicNote}</p> : null}
              {r.privateNote ? <p className="muted">{r.privateNote}</p> : null}
              <IntentButton intent={r.active ? 'retire' : 'restore'} fields={{ ruleId: r.id }} label={r.active ? t('rules.retire') : t('rules.restore')} />
            </li>
          );
        })}
      </ul>
      <h2 id="create-rule">{t('rules.create')}</h2>
      <Form method="post" className="stacked" aria-labelledby="create-rule">
        <CsrfInput />
        <input type="hidden" name="intent" value="create" />
        <div className="field">
          <label htmlFor="rule-sources">{t('rules.sources')}</label>
          <textarea id="rule-sources" name="sources" required rows={3} maxLength={2000} />
        </div>
        <fieldset>
          <legend>{t('rules.targetKind')}</legend>
          <label>
            <input type="radio" name="targetKind" value="course" defaultChecked /> {t('credits.request.target.course')}
          </label>
          <label>
            <input type="radio" name="targetKind" value="elective" /> {t('credits.request.target.elective')}
          </label>
        </fieldset>
        <TextInput name="targetCode" label={t('rules.targetCode')} maxLength={40} />
        <TextInput name="targetTitleZh" label={t('rules.targetTitleZh')} maxLength={200} />
        <TextInput name="targetTitleEn" label={t('rules.targetTitleEn')} maxLength={200} />
        <TextInput name="credits" label={t('rules.credits')} required inputMode="decimal" maxLength={8} />
        <TextInput name="minGrade" label={t('rules.minGrade')} inputMode="decimal" maxLength={8} />
        <TextInput name="effectiveFrom" label={t('rules.effectiveFrom')} type="date" required />
        <TextInput name="effectiveUntil" label={t('rules.effectiveUntil')} type="date" />
        <label>
          <input type="checkbox" name="autoApprove" /> {t('rules.autoApprove')}
        </label>
        <div className="field">
          <label htmlFor="rule-publicNote">{t('rules.publicNote')}</label>
          <textarea id="rule-publicNote" name="publicNote" rows={2} maxLength={2000} />
        </div>
        <div className="field">
          <label htmlFor="rule-privateNote">{t('rules.privateNote')}</label>
          <textarea id="rule-privateNote" name="privateNote" rows={2} maxLength={2000} />
        </div>
        <button type="submit" className="button">
          {t('rules.save')}
        </button>
      </Form>
    </section>
  );
}
