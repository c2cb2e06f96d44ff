import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { pick } from '../components/catalog/labels.js';
import { CsrfInput } from '../components/CsrfInput.js';
import { parseForm } from '../features/forms.server.js';
import { useLocale, useT } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { requireInstitutionConsole } from '../features/onboarding/console-access.server.js';
import { consoleOverview } from '../features/onboarding/overview.server.js';
import { enrolDevice } from '../features/onboarding/pupil-login.server.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'onboard.overview');

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { institution } = await requireInstitutionConsole(request, context, params.slug);
  return { institution, overview: await consoleOverview(institution.id) };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { institution } = await requireInstitutionConsole(request, context, params.slug);
  const { submission } = await parseForm(request, z.object({ intent: z.literal('enrol-device') }));
  if (submission.status !== 'success') throw new Response(null, { status: 400 });
  return redirect('/device', { headers: { 'Set-Cookie': await enrolDevice(institution.id) } });
}

export default function ConsoleOverview() {
  const { institution, overview } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const base = `/institutions/${institution.slug}/onboarding`;
  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title">{t('onboard.title', { institution: pick(locale, institution.nameZh, institution.nameEn) })}</h1>
      <ul className="plain-list">
        <li>
          <a href={`${base}/staff`}>{t('onboard.overview.staff', { n: overview.staff, pending: overview.pendingInvitations })}</a>
        </li>
        <li>
          <a href={`${base}/domains`}>{t('onboard.overview.domains', { n: overview.domains })}</a>
        </li>
        <li>
          <a href={`${base}/classrooms`}>{t('onboard.overview.classrooms', { n: overview.classrooms })}</a>
        </li>
        <li>
          <a href={`${base}/rosters`}>{t('onboard.overview.roster', { n: overview.roster })}</a>
        </li>
      </ul>
      {institution.kind === 'school' ? (
        <section className="panel" aria-labelledby="device-title">
          <h2 id="device-title">{t('onboard.device.title')}</h2>
          <p>{t('onboard.device.body')}</p>
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="intent" value="enrol-device" />
            <button type="submit" className="button">
              {t('onboard.device.enrol')}
            </button>
          </Form>
        </section>
      ) : null}
    </section>
  );
}
