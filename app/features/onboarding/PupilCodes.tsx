import { TableScroll } from '../../components/TableScroll.js';
import { useT } from '../i18n/i18n.js';

export type ShownCode = { className: string; name: string; externalId: string; code: string };

/** Codes shown once, to print and hand out; they are stored only as hashes. */
export function PupilCodes({ codes }: { codes: ShownCode[] }) {
  const t = useT();
  if (codes.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="codes-title" data-pupil-codes>
      <h2 id="codes-title">{t('onboard.codes.title')}</h2>
      <p className="notice warn">{t('onboard.codes.once')}</p>
      <TableScroll label={t('onboard.codes.title')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('onboard.codes.class')}</th>
              <th scope="col">{t('onboard.codes.name')}</th>
              <th scope="col">{t('onboard.codes.externalId')}</th>
              <th scope="col">{t('onboard.codes.code')}</th>
            </tr>
          </thead>
          <tbody>
            {codes.map((c) => (
              <tr key={c.externalId}>
                <td>{c.className}</td>
                <td>{c.name}</td>
                <td>{c.externalId}</td>
                <td>
                  <code data-code-for={c.externalId}>{c.code}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
}
