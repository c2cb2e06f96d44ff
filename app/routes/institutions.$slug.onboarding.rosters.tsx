import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { CsrfInput } from '../components/CsrfInput.js';
import { TableScroll } from '../components/TableScroll.js';
import { parseForm } from '../features/forms.server.js';
import { translate, useLocale, useT, type MessageKey } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { requireInstitutionConsole } from '../features/onboarding/console-access.server.js';
import { PupilCodes } from '../features/onboarding/PupilCodes.js';
import { ROSTER_LIMITS } from '../features/onboarding/roster-limits.js';
import { confirmRoster, dryRunRoster, type PupilCode, type RosterSummary } from '../features/onboarding/roster-import.server.js';
import type { RosterIssue } from '../features/onboarding/roster-rows.js';
import { rosterActionSchema } from '../features/onboarding/schemas.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'onboard.rosters');

type Outcome =
  | { step: 'error'; key: MessageKey }
  | { step: 'checked'; fileName: string; rowCount: number; issues: RosterIssue[]; summary: RosterSummary; stageId: string | null }
  | { step: 'failed'; issue: RosterIssue }
  | { step: 'applied'; summary: RosterSummary; codes: PupilCode[] };

const fileErrors: Record<string, { key: MessageKey; status: number }> = {
  'too-big': { key: 'roster.file.tooBig', status: 413 },
  'unsupported-type': { key: 'roster.file.type', status: 415 },
  empty: { key: 'roster.file.empty', status: 422 },
  'too-many-rows': { key: 'roster.file.tooManyRows', status: 413 },
  'too-many-columns': { key: 'roster.file.tooManyColumns', status: 422 },
  unreadable: { key: 'roster.file.unreadable', status: 422 },
};

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { institution } = await requireInstitutionConsole(request, context, params.slug);
  return { kind: institution.kind === 'school' ? ('pupil' as const) : ('student' as const), maxRows: ROSTER_LIMITS.maxRows, maxKb: ROSTER_LIMITS.maxBytes / 1024 };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { institution, admin } = await requireInstitutionConsole(request, context, params.slug);
  const { submission } = await parseForm(request, rosterActionSchema);
  if (submission.status !== 'success') return data<Outcome>({ step: 'error', key: 'roster.file.missing' }, { status: 400 });
  const v = submission.value;
  if (v.intent === 'check') {
    if (institution.kind === 'department') return data<Outcome>({ step: 'error', key: 'roster.file.noRoster' }, { status: 400 });
    const run = await dryRunRoster(institution, admin.id, v.file);
    if (run.kind === 'file-error') {
      const e = fileErrors[run.error]!;
      return data<Outcome>({ step: 'error', key: e.key }, { status: e.status });
    }
    return data<Outcome>({ step: 'checked', fileName: v.file.name, rowCount: run.rowCount, issues: run.issues, summary: run.summary, stageId: run.stageId }, { status: run.issues.length ? 422 : 200 });
  }
  const done = await confirmRoster(v.stageId, institution.id, admin.id, context.clientIp);
  if (done.kind === 'expired') return data<Outcome>({ step: 'error', key: 'roster.expired' }, { status: 409 });
  if (done.kind === 'failed') return data<Outcome>({ step: 'failed', issue: done.issue }, { status: 409 });
  return data<Outcome>({ step: 'applied', summary: done.summary, codes: done.codes }, { status: 200 });
}

function Issues({ issues }: { issues: RosterIssue[] }) {
  const t = useT();
  const locale = useLocale();
  return (
    <TableScroll label={t('roster.issues')}>
      <table data-roster-issues>
        <caption>{t('roster.issuesCaption', { n: issues.length })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('roster.line')}</th>
            <th scope="col">{t('roster.column')}</th>
            <th scope="col">{t('roster.reason')}</th>
          </tr>
        </thead>
        <tbody>
          {issues.map((i) => (
            <tr key={`${i.line}-${i.column}-${i.reason}`}>
              <td>{i.line}</td>
              <td>{i.column}</td>
              <td>{translate(locale, i.reason as MessageKey, i.params)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

function Summary({ summary, done }: { summary: RosterSummary; done: boolean }) {
  const t = useT();
  return (
    <ul className="facts" data-roster-summary>
      <li>{t(done ? 'roster.summary.created' : 'roster.summary.willCreate', { n: summary.created })}</li>
      <li>{t(done ? 'roster.summary.updated' : 'roster.summary.willUpdate', { n: summary.updated })}</li>
      <li>{t('roster.summary.unchanged', { n: summary.unchanged })}</li>
      {summary.newClasses.length ? <li>{t('roster.summary.newClasses', { names: summary.newClasses.join('、') })}</li> : null}
      {summary.consents ? <li>{t('roster.summary.consents', { n: summary.consents })}</li> : null}
    </ul>
  );
}

export default function RostersPage() {
  const { kind, maxRows, maxKb } = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const t = useT();
  return (
    <section aria-labelledby="roster-title">
      <h1 id="roster-title">{t('onboard.rosters')}</h1>
      <p>{t(kind === 'pupil' ? 'roster.intro.pupil' : 'roster.intro.student')}</p>
      <p className="hint">{t(kind === 'pupil' ? 'roster.columns.pupil' : 'roster.columns.student')}</p>
      {kind === 'pupil' ? <p className="hint">{t('roster.consentRule')}</p> : null}
      <div aria-live="polite">
        {outcome?.step === 'error' ? (
          <p className="notice warn" role="alert">
            {t(outcome.key)}
          </p>
        ) : null}
        {outcome?.step === 'checked' ? (
          <section aria-labelledby="dry-run-title">
            <h2 id="dry-run-title">{t('roster.dryRun', { file: outcome.fileName, n: outcome.rowCount })}</h2>
            {outcome.issues.length ? (
              <>
                <p className="notice warn" role="alert">
                  {t('roster.nothingApplied')}
                </p>
                <Issues issues={outcome.issues} />
              </>
            ) : (
              <>
                <Summary summary={outcome.summary} done={false} />
                <Form method="post">
                  <CsrfInput />
                  <input type="hidden" name="intent" value="confirm" />
                  <input type="hidden" name="stageId" value={outcome.stageId ?? ''} />
                  <button type="submit" className="button" disabled={busy}>
                    {t('roster.confirm')}
                  </button>
                </Form>
              </>
            )}
          </section>
        ) : null}
        {outcome?.step === 'failed' ? (
          <>
            <p className="notice warn" role="alert">
              {t('roster.failedWhole')}
            </p>
            <Issues issues={[outcome.issue]} />
          </>
        ) : null}
        {outcome?.step === 'applied' ? (
          <>
            <p className="notice ok" role="status">
              {t('roster.applied')}
            </p>
            <Summary summary={outcome.summary} done />
            <PupilCodes codes={outcome.codes} />
          </>
        ) : null}
      </div>
      <h2 id="upload-title">{t('roster.upload')}</h2>
      <Form method="post" encType="multipart/form-data" className="stacked" aria-labelledby="upload-title">
        <CsrfInput />
        <input type="hidden" name="intent" value="check" />
        <div className="field">
          <label htmlFor="roster-file">{t('roster.file')}</label>
          <p className="hint" id="roster-file-hint">
            {t('roster.fileHint', { rows: maxRows, kb: maxKb })}
          </p>
          <input id="roster-file" name="file" type="file" required accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" aria-describedby="roster-file-hint" />
        </div>
        <button type="submit" className="button" disabled={busy}>
          {t('roster.check')}
        </button>
      </Form>
    </section>
  );
}
