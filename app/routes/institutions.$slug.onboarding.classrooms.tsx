import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { CsrfInput } from '../components/CsrfInput.js';
import { IntentButton } from '../components/IntentButton.js';
import { parseForm } from '../features/forms.server.js';
import { translateError, useLocale, useT } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { assignAssistant, listAssistants, listClassrooms, saveClassroom, setClassroomArchived } from '../features/onboarding/classrooms-admin.server.js';
import { requireInstitutionConsole } from '../features/onboarding/console-access.server.js';
import { PupilCodes, type ShownCode } from '../features/onboarding/PupilCodes.js';
import { reissueClassCodes } from '../features/onboarding/roster-import.server.js';
import { classroomActionSchema } from '../features/onboarding/schemas.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'onboard.classrooms');

type Reply = { ok: boolean; key: string; codes?: ShownCode[] };
const reply = (status: number, r: Reply) => data(r, { status });

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { institution } = await requireInstitutionConsole(request, context, params.slug);
  const [rooms, assistants] = await Promise.all([listClassrooms(institution.id), listAssistants(institution.id)]);
  return { rooms, assistants };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { institution, admin } = await requireInstitutionConsole(request, context, params.slug);
  const { submission } = await parseForm(request, classroomActionSchema);
  if (submission.status !== 'success') {
    const first = Object.values(submission.error ?? {}).flat()[0];
    return reply(400, { ok: false, key: first ?? 'errors.formInvalid' });
  }
  const v = submission.value;
  const who = { institutionId: institution.id, adminId: admin.id, ip: context.clientIp };
  switch (v.intent) {
    case 'save': {
      const outcome = await saveClassroom(who, { id: v.id, nameZh: v.nameZh, nameEn: v.nameEn || null });
      if (outcome === 'taken') return reply(409, { ok: false, key: 'onboard.classrooms.taken' });
      if (outcome === 'not-found') return reply(404, { ok: false, key: 'onboard.notFound' });
      return reply(200, { ok: true, key: 'onboard.classrooms.saved' });
    }
    case 'archive':
    case 'restore': {
      const done = await setClassroomArchived(who, v.id, v.intent === 'archive');
      return done ? reply(200, { ok: true, key: v.intent === 'archive' ? 'onboard.classrooms.archived' : 'onboard.classrooms.restored' }) : reply(404, { ok: false, key: 'onboard.notFound' });
    }
    case 'assign':
    case 'unassign': {
      const outcome = await assignAssistant(who, v.id, v.userId, v.intent === 'assign');
      if (outcome === 'not-found') return reply(404, { ok: false, key: 'onboard.notFound' });
      if (outcome === 'not-assistant') return reply(400, { ok: false, key: 'onboard.classrooms.notAssistant' });
      return reply(200, { ok: true, key: 'onboard.classrooms.saved' });
    }
    case 'reissue-codes': {
      const codes = await reissueClassCodes(institution.id, v.id, admin.id, context.clientIp);
      if (!codes) return reply(404, { ok: false, key: 'onboard.notFound' });
      return reply(200, { ok: true, key: 'onboard.codes.reissued', codes });
    }
  }
}

export default function ClassroomsPage() {
  const { rooms, assistants } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  return (
    <section aria-labelledby="rooms-title">
      <h1 id="rooms-title">{t('onboard.classrooms')}</h1>
      <p>{t('onboard.classrooms.body')}</p>
      {actionData ? (
        <p className={`notice ${actionData.ok ? 'ok' : 'warn'}`} role={actionData.ok ? 'status' : 'alert'}>
          {translateError(locale, actionData.key)}
        </p>
      ) : null}
      {actionData?.codes ? <PupilCodes codes={actionData.codes} /> : null}
      {rooms.length === 0 ? <p className="muted">{t('onboard.classrooms.none')}</p> : null}
      {rooms.map((r) => (
        <article key={r.id} className="panel" aria-labelledby={`room-${r.id}`}>
          <h2 id={`room-${r.id}`}>
            {r.nameZh}
            {r.nameEn ? (
              <span className="muted" lang="en">
                {' '}
                {r.nameEn}
              </span>
            ) : null}
            {r.archivedAt ? <span className="badge">{t('onboard.classrooms.archivedBadge')}</span> : null}
          </h2>
          <p>{t('onboard.classrooms.counts', { pupils: r.pupils, codes: r.withCodes })}</p>
          <p>
            {t('onboard.classrooms.assistants')}: {r.assistants.length === 0 ? t('onboard.classrooms.noAssistants') : null}
          </p>
          <ul className="plain-list">
            {r.assistants.map((a) => (
              <li key={a.userId}>
                {a.name} <IntentButton intent="unassign" fields={{ id: r.id, userId: a.userId }} label={t('onboard.classrooms.unassign')} inline />
              </li>
            ))}
          </ul>
          {!r.archivedAt && assistants.length > 0 ? (
            <Form method="post" className="row-form">
              <CsrfInput />
              <input type="hidden" name="intent" value="assign" />
              <input type="hidden" name="id" value={r.id} />
              <label htmlFor={`assign-${r.id}`}>{t('onboard.classrooms.assign')}</label>
              <select id={`assign-${r.id}`} name="userId" required defaultValue="">
                <option value="">—</option>
                {assistants.map((a) => (
                  <option key={a.userId} value={a.userId}>
                    {a.name ?? a.email}
                  </option>
                ))}
              </select>
              <button type="submit" className="button">
                {t('onboard.classrooms.assignButton')}
              </button>
            </Form>
          ) : null}
          <details>
            <summary>{t('onboard.classrooms.edit')}</summary>
            <Form method="post" className="stacked">
              <CsrfInput />
              <input type="hidden" name="intent" value="save" />
              <input type="hidden" name="id" value={r.id} />
              <div className="field">
                <label htmlFor={`zh-${r.id}`}>{t('onboard.classrooms.nameZh')}</label>
                <input id={`zh-${r.id}`} name="nameZh" defaultValue={r.nameZh} required maxLength={40} />
              </div>
              <div className="field">
                <label htmlFor={`en-${r.id}`}>{t('onboard.classrooms.nameEn')}</label>
                <input id={`en-${r.id}`} name="nameEn" defaultValue={r.nameEn ?? ''} maxLength={80} lang="en" />
              </div>
              <button type="submit" className="button">
                {t('common.save')}
              </button>
            </Form>
          </details>
          <p>
            {r.withCodes > 0 && !r.archivedAt ? <IntentButton intent="reissue-codes" fields={{ id: r.id }} label={t('onboard.codes.reissue')} inline /> : null}{' '}
            <IntentButton intent={r.archivedAt ? 'restore' : 'archive'} fields={{ id: r.id }} label={t(r.archivedAt ? 'onboard.classrooms.restore' : 'onboard.classrooms.archive')} inline />
          </p>
        </article>
      ))}
      <h2 id="new-room-title">{t('onboard.classrooms.create')}</h2>
      <Form method="post" className="stacked" aria-labelledby="new-room-title">
        <CsrfInput />
        <input type="hidden" name="intent" value="save" />
        <div className="field">
          <label htmlFor="new-zh">{t('onboard.classrooms.nameZh')}</label>
          <input id="new-zh" name="nameZh" required maxLength={40} />
        </div>
        <div className="field">
          <label htmlFor="new-en">{t('onboard.classrooms.nameEn')}</label>
          <input id="new-en" name="nameEn" maxLength={80} lang="en" />
        </div>
        <button type="submit" className="button">
          {t('onboard.classrooms.create')}
        </button>
      </Form>
    </section>
  );
}
