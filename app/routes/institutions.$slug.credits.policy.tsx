import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { gradingScales } from '../../db/schema/credits.js';
import { CsrfInput } from '../components/CsrfInput.js';
import { requireRegistrar } from '../features/credits/access.server.js';
import { formatHundredths } from '../features/credits/credit-units.js';
import { addTableVersion, getPolicy, listTableVersions, savePolicy } from '../features/credits/policy.server.js';
import { RegistrarNav } from '../features/credits/RegistrarNav.js';
import { definitionFromForm } from '../features/credits/table-form.js';
import { parseForm } from '../features/forms.server.js';
import { useLocale, useT, type MessageKey } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { getServices } from '../services.server.js';
import type { ConversionDefinition } from '../../db/schema/credits.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'registrar.policy');

const policyFormSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('policy'), hoursPerCredit: z.coerce.number().int().min(1).max(100), gradingScale: z.enum(gradingScales) }),
  z.object({
    intent: z.literal('table'),
    nameZh: z.string().trim().min(1).max(100),
    nameEn: z.string().trim().min(1).max(100),
    kind: z.enum(['bands', 'formula', 'pass-fail']),
    bands: z.string().max(2000).optional(),
    passMark: z.string().max(8).optional(),
    ects: z.string().regex(/^\d{2}$/).optional(),
  }),
]);

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { institution } = await requireRegistrar(request, context, params.slug);
  const policy = await getPolicy(institution.id);
  return { institution, policy, tables: await listTableVersions(institution.id) };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, institution } = await requireRegistrar(request, context, params.slug);
  const { submission } = await parseForm(request, policyFormSchema);
  if (submission.status !== 'success') return data({ error: 'errors.formInvalid' as MessageKey, done: null, version: 0 }, { status: 400 });
  const v = submission.value;
  if (v.intent === 'policy') {
    await savePolicy(institution.id, v);
    return { error: null, done: 'policy.saved' as MessageKey, version: 0 };
  }
  const definition = definitionFromForm(v);
  if (!definition) return data({ error: 'policy.table.invalid' as MessageKey, done: null, version: 0 }, { status: 422 });
  const created = await getServices().db.transaction((tx) => addTableVersion(institution.id, { nameZh: v.nameZh, nameEn: v.nameEn, definition }, user.id, tx));
  return { error: null, done: 'policy.table.saved' as MessageKey, version: created.version };
}

function DefinitionLines({ definition }: { definition: ConversionDefinition }) {
  const t = useT();
  return (
    <ul>
      {definition.kind === 'bands'
        ? [...definition.bands]
            .sort((a, b) => b.minHundredths - a.minHundredths)
            .map((b) => <li key={b.minHundredths}>{t('policy.table.band', { min: formatHundredths(b.minHundredths), points: formatHundredths(b.pointsHundredths), label: b.label })}</li>)
        : definition.kind === 'formula'
          ? [<li key="f">{t('policy.table.formulaLine', { pass: formatHundredths(definition.passMarkHundredths) })}</li>]
          : [<li key="p">{t('policy.table.passFailLine', { pass: formatHundredths(definition.passMarkHundredths) })}</li>]}
      {definition.ectsHoursPerCredit ? <li>{t('policy.table.ectsLine', { hours: definition.ectsHoursPerCredit })}</li> : null}
    </ul>
  );
}

export default function PolicyPage() {
  const { institution, policy, tables } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  const pick = (zh: string, en: string) => (locale === 'en' ? en : zh);
  return (
    <section aria-labelledby="registrar-title">
      <RegistrarNav slug={institution.slug} title={t('registrar.title', { institution: pick(institution.nameZh, institution.nameEn) })} />
      {actionData?.done ? (
        <p className="notice ok" role="status">
          {t(actionData.done, { version: actionData.version })}
        </p>
      ) : null}
      {actionData?.error ? (
        <p className="notice warn" role="alert">
          {t(actionData.error)}
        </p>
      ) : null}
      <h2 id="policy-title">{t('policy.title')}</h2>
      <Form method="post" className="stacked" aria-labelledby="policy-title">
        <CsrfInput />
        <input type="hidden" name="intent" value="policy" />
        <div className="field">
          <label htmlFor="hours">{t('policy.hoursPerCredit')}</label>
          <input id="hours" name="hoursPerCredit" type="number" min={1} max={100} defaultValue={policy.hoursPerCredit} required />
        </div>
        <div className="field">
          <label htmlFor="scale">{t('policy.gradingScale')}</label>
          <select id="scale" name="gradingScale" defaultValue={policy.gradingScale}>
            {gradingScales.map((s) => (
              <option key={s} value={s}>
                {t(`policy.scale.${s}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button">
          {t('policy.save')}
        </button>
      </Form>
      <h2>{t('policy.tables')}</h2>
      {tables.map((table) => (
        <article key={table.id} className="panel">
          <h3>
            {pick(table.nameZh, table.nameEn)} · {t('policy.version', { version: table.version })} {table.id === policy.table.id ? <em>({t('policy.current')})</em> : null}
          </h3>
          <DefinitionLines definition={table.definition} />
        </article>
      ))}
      <h2 id="table-title">{t('policy.newTable')}</h2>
      <Form method="post" className="stacked" aria-labelledby="table-title">
        <CsrfInput />
        <input type="hidden" name="intent" value="table" />
        <div className="field">
          <label htmlFor="t-nameZh">{t('policy.table.nameZh')}</label>
          <input id="t-nameZh" name="nameZh" required maxLength={100} />
        </div>
        <div className="field">
          <label htmlFor="t-nameEn">{t('policy.table.nameEn')}</label>
          <input id="t-nameEn" name="nameEn" required maxLength={100} />
        </div>
        <div className="field">
          <label htmlFor="t-kind">{t('policy.table.kind')}</label>
          <select id="t-kind" name="kind">
            {(['bands', 'formula', 'pass-fail'] as const).map((k) => (
              <option key={k} value={k}>
                {t(`policy.table.kind.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="t-bands">{t('policy.table.bands')}</label>
          <textarea id="t-bands" name="bands" rows={5} defaultValue={'90=4.0=A\n80=3.0=B\n70=2.0=C\n60=1.0=D\n0=0=F'} />
        </div>
        <div className="field">
          <label htmlFor="t-pass">{t('policy.table.passMark')}</label>
          <input id="t-pass" name="passMark" inputMode="decimal" defaultValue="60" />
        </div>
        <div className="field">
          <label htmlFor="t-ects">{t('policy.table.ects')}</label>
          <input id="t-ects" name="ects" inputMode="numeric" maxLength={2} />
        </div>
        <button type="submit" className="button">
          {t('policy.table.save')}
        </button>
      </Form>
    </section>
  );
}
