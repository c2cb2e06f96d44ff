import { formatDateTime, useLocale, useT, type MessageKey } from '../i18n/i18n.js';
import { StatusBadge } from './ReasonList.js';

type TimelineEntry = { id: number; toStatus: string; note: string; occurredAt: string | Date; actor: string | null };
type CompletionFacts = { courseTitleZh: string; courseTitleEn: string | null; institutionNameZh: string; institutionNameEn: string; credits: string; classHours: number; finalGrade: string | null; completedOn: string };

export function RecordFacts({ record }: { record: CompletionFacts }) {
  const t = useT();
  const locale = useLocale();
  const pick = (zh: string, en: string | null) => (locale === 'en' && en ? en : zh);
  return (
    <dl className="facts">
      <dt>{t('transcript.source')}</dt>
      <dd>{pick(record.courseTitleZh, record.courseTitleEn)}</dd>
      <dt>{t('transcript.sourceInstitution')}</dt>
      <dd>{pick(record.institutionNameZh, record.institutionNameEn)}</dd>
      <dt>{t('transcript.credits')}</dt>
      <dd>
        {record.credits} ({record.classHours} h)
      </dd>
      <dt>{t('transcript.grade')}</dt>
      <dd>{record.finalGrade ?? t('credits.record.passOnly')}</dd>
      <dt>{t('transcript.completedOn')}</dt>
      <dd>{record.completedOn}</dd>
    </dl>
  );
}

export function Timeline({ entries }: { entries: TimelineEntry[] }) {
  const locale = useLocale();
  return (
    <ol className="timeline">
      {entries.map((e) => (
        <li key={e.id}>
          <StatusBadge status={e.toStatus} /> <span className="muted">{formatDateTime(locale, new Date(e.occurredAt))}</span>
          {e.actor ? <span className="muted"> · {e.actor}</span> : null}
          {e.note ? <p>{e.note}</p> : null}
        </li>
      ))}
    </ol>
  );
}

export function DecisionNotice({ error, params }: { error: MessageKey | null | undefined; params?: Record<string, string> | undefined }) {
  const t = useT();
  if (!error) return null;
  return (
    <p className="notice warn" role="alert">
      {t(error, params)}
    </p>
  );
}
