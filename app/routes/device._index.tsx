import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useLoaderData } from '@remix-run/react';
import { pick } from '../components/catalog/labels.js';
import { CsrfInput } from '../components/CsrfInput.js';
import { requireCsrfForm } from '../features/forms.server.js';
import { useLocale, useT } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { deviceInstitution, forgetDevice, listDeviceClasses } from '../features/onboarding/pupil-login.server.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'device.title');

// Only a browser an institution administrator set up as a classroom device lists classes
// (and, one step on, pupils' names): children's names are not for the open internet.
export async function loader({ request }: LoaderFunctionArgs) {
  const institution = await deviceInstitution(request);
  if (!institution) return { institution: null, classes: [] };
  return { institution, classes: await listDeviceClasses(institution.id) };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireCsrfForm(request);
  return redirect('/', { headers: { 'Set-Cookie': await forgetDevice() } });
}

export default function DeviceClasses() {
  const { institution, classes } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  if (!institution) {
    return (
      <section aria-labelledby="device-title">
        <h1 id="device-title">{t('device.title')}</h1>
        <p>{t('device.notSetUp')}</p>
      </section>
    );
  }
  return (
    <section aria-labelledby="device-title">
      <h1 id="device-title">{t('device.pickClass', { school: pick(locale, institution.nameZh, institution.nameEn) })}</h1>
      {classes.length === 0 ? <p>{t('device.noClasses')}</p> : null}
      <ul className="device-choices">
        {classes.map((c) => (
          <li key={c.id}>
            <a className="button" href={`/device/${c.id}`}>
              {pick(locale, c.nameZh, c.nameEn)}
            </a>
          </li>
        ))}
      </ul>
      <Form method="post">
        <CsrfInput />
        <button type="submit" className="link-button">
          {t('device.forget')}
        </button>
      </Form>
    </section>
  );
}
