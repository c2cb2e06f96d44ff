import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { pick } from '../components/catalog/labels.js';
import { CsrfInput } from '../components/CsrfInput.js';
import { parseForm } from '../features/forms.server.js';
import { useLocale, useT, type MessageKey } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { startSession } from '../features/identity/session.server.js';
import { attemptPupilLogin, deviceInstitution, findDeviceClass } from '../features/onboarding/pupil-login.server.js';
import { pupilLoginSchema } from '../features/onboarding/schemas.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'device.title');

export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get('Retry-After');
  return retryAfter ? { 'Retry-After': retryAfter } : new Headers();
};

async function loadClass(request: Request, classroomId: string | undefined) {
  const institution = await deviceInstitution(request);
  if (!institution) throw redirect('/device');
  const id = z.string().uuid().safeParse(classroomId);
  const found = id.success ? await findDeviceClass(institution.id, id.data) : null;
  if (!found) throw data({ reason: 'not-found' as const }, { status: 404 });
  return { institution, ...found };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { room, pupils } = await loadClass(request, params.classroomId);
  return { room, pupils };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { institution, room } = await loadClass(request, params.classroomId);
  const { submission } = await parseForm(request, pupilLoginSchema);
  if (submission.status !== 'success') return data({ error: 'device.codeFormat' as MessageKey, minutes: 0 }, { status: 400 });
  const outcome = await attemptPupilLogin(institution.id, room.id, submission.value.pupilId, submission.value.code, context.clientIp);
  if (outcome.kind === 'throttled') {
    return data({ error: 'device.throttled' as MessageKey, minutes: Math.ceil(outcome.retryAfterSeconds / 60) }, { status: 429, headers: { 'Retry-After': String(outcome.retryAfterSeconds) } });
  }
  if (outcome.kind === 'invalid') return data({ error: 'device.wrongCode' as MessageKey, minutes: 0 }, { status: 401 });
  return redirect('/', { headers: { 'Set-Cookie': await startSession(request, outcome.userId) } });
}

export default function DeviceSignIn() {
  const { room, pupils } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  return (
    <section aria-labelledby="device-title">
      <p>
        <a href="/device">{t('device.otherClass')}</a>
      </p>
      <h1 id="device-title">{t('device.pickName', { class: pick(locale, room.nameZh, room.nameEn) })}</h1>
      <Form method="post" className="stacked">
        <CsrfInput />
        {actionData ? (
          <p className="notice warn" role="alert">
            {t(actionData.error, { minutes: actionData.minutes })}
          </p>
        ) : null}
        <fieldset className="device-names">
          <legend>{t('device.whoAreYou')}</legend>
          {pupils.map((p) => (
            <label key={p.id} className="device-name">
              <input type="radio" name="pupilId" value={p.id} required /> {p.name}
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="pupil-code">{t('device.code')}</label>
          <input id="pupil-code" name="code" inputMode="numeric" autoComplete="off" pattern="[0-9]{6}" maxLength={6} required />
        </div>
        <button type="submit" className="button">
          {t('device.signIn')}
        </button>
      </Form>
    </section>
  );
}
