import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { pick } from '../components/catalog/labels.js';
import { CsrfInput } from '../components/CsrfInput.js';
import { TableScroll } from '../components/TableScroll.js';
import { parseForm } from '../features/forms.server.js';
import { formatDateTime, useLocale, useT } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { requirePermission } from '../features/identity/guards.server.js';
import { listVideosMissingFiles, requestFilesCheck } from '../features/studio/videos.server.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'admin.media');

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, 'admin:institutions');
  return { missing: await listVideosMissingFiles() };
}

const checkSchema = z.object({ intent: z.literal('check-all') });
// A double click asks once; a click after an admin has put files back always runs.
const ADMIN_CHECK_WINDOW_MS = 10_000;

export async function action({ request, context }: ActionFunctionArgs) {
  await requirePermission(request, context, 'admin:institutions');
  const { submission } = await parseForm(request, checkSchema);
  if (submission.status !== 'success') return { queued: false };
  await requestFilesCheck('all', ADMIN_CHECK_WINDOW_MS);
  return { queued: true };
}

export default function MediaAdmin() {
  const { missing } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  return (
    <>
      <h2>{t('admin.media')}</h2>
      <p className="muted">{t('admin.media.intro')}</p>
      <Form method="post">
        <CsrfInput />
        <input type="hidden" name="intent" value="check-all" />
        <button type="submit" className="button">
          {t('admin.media.checkAll')}
        </button>
      </Form>
      {result?.queued ? (
        <p className="notice ok" role="status">
          {t('admin.media.checkQueued')}
        </p>
      ) : null}
      {missing.length === 0 ? (
        <p>{t('admin.media.none')}</p>
      ) : (
        <TableScroll label={t('admin.media')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('admin.media.course')}</th>
                <th scope="col">{t('admin.media.lesson')}</th>
                <th scope="col">{t('admin.media.since')}</th>
                <th scope="col">{t('admin.media.count')}</th>
              </tr>
            </thead>
            <tbody>
              {missing.map((m) => (
                <tr key={m.videoId}>
                  <td>
                    {pick(locale, m.courseTitleZh, m.courseTitleEn)} <span className="muted">· {pick(locale, m.institutionZh, m.institutionEn)}</span>
                  </td>
                  <td>
                    <a href={`/lessons/${m.lessonId}`}>{pick(locale, m.lessonTitleZh, m.lessonTitleEn)}</a>
                  </td>
                  <td>{m.since ? <time dateTime={m.since.toISOString()}>{formatDateTime(locale, m.since)}</time> : null}</td>
                  <td>{m.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </>
  );
}
