import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { TableScroll } from '../components/TableScroll.js';
import { requireStudent } from '../features/credits/access.server.js';
import { loadTranscript, targetLabel } from '../features/credits/transcript.server.js';
import { useLocale, useT } from '../features/i18n/i18n.js';
import { getLocale } from '../features/i18n/locale.server.js';
import { titleMeta } from '../features/i18n/metaTitle.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'transcript.title');

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireStudent(request);
  const locale = await getLocale(request);
  const { rows, total } = await loadTranscript(user.id);
  return { student: user.displayName, total, rows: rows.map((r) => ({ ...r, target: targetLabel(locale, r) })) };
}

export default function Transcript() {
  const { student, rows, total } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const pick = (zh: string, en: string | null) => (locale === 'en' && en ? en : zh);
  return (
    <section aria-labelledby="transcript-title" className="transcript">
      <h1 id="transcript-title">
        {t('transcript.title')} · {student}
      </h1>
      <p className="no-print">
        <a href="/credits/transcript.csv" download>
          {t('transcript.csv')}
        </a>
      </p>
      {rows.length === 0 ? (
        <p>{t('transcript.none')}</p>
      ) : (
        <TableScroll label={t('transcript.title')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('transcript.source')}</th>
                <th scope="col">{t('transcript.sourceInstitution')}</th>
                <th scope="col">{t('transcript.completedOn')}</th>
                <th scope="col">{t('transcript.grade')}</th>
                <th scope="col">{t('transcript.target')}</th>
                <th scope="col">{t('transcript.credits')}</th>
                <th scope="col">{t('transcript.converted')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td>{pick(r.courseTitleZh, r.courseTitleEn)}</td>
                  <td>{pick(r.sourceZh, r.sourceEn)}</td>
                  <td>{r.completedOn}</td>
                  <td>{r.finalGrade ?? 'P'}</td>
                  <td>{r.target}</td>
                  <td>{r.credits}</td>
                  <td>
                    {r.convertedLabel}
                    {r.convertedGrade ? ` (${r.convertedGrade})` : ''} <span className="muted">{t('credits.detail.table', { version: r.tableVersion ?? '' })}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <p>
        <strong>{t('transcript.total', { credits: total })}</strong>
      </p>
    </section>
  );
}
