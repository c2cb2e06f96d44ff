import { formatBytes } from './format-bytes.js';
import { useLocale, useT } from '../i18n/i18n.js';

export type MaterialListItem = { id: string; fileName: string; sizeBytes: number };

/**
 * A lesson's downloadable materials, for the student lesson page (and the studio). Load
 * the items with `listLessonMaterials(lessonId)` (materials.server.ts) in the loader.
 */
export function MaterialList({ lessonId, materials, headingLevel = 2 }: { lessonId: string; materials: MaterialListItem[]; headingLevel?: 2 | 3 }) {
  const t = useT();
  const locale = useLocale();
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section aria-labelledby={`materials-${lessonId}`} className="materials">
      <Heading id={`materials-${lessonId}`}>{t('materials.title')}</Heading>
      {materials.length === 0 ? (
        <p className="muted">{t('materials.none')}</p>
      ) : (
        <ul>
          {materials.map((m) => (
            <li key={m.id}>
              <a href={`/lessons/${lessonId}/materials/${m.id}`} download={m.fileName}>
                {m.fileName}
              </a>{' '}
              <span className="muted">({formatBytes(locale, m.sizeBytes)})</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
