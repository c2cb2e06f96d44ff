import { useT, type MessageKey } from '../i18n/i18n.js';
import type { ReasonLine } from './reasons.server.js';

export function ReasonList({ reasons }: { reasons: ReasonLine[] }) {
  const t = useT();
  if (reasons.length === 0) return null;
  return (
    <ul className="reasons">
      {reasons.map((r, i) => (
        <li key={i}>{t(`reason.${r.code}` as MessageKey, r.params)}</li>
      ))}
    </ul>
  );
}

export function StatusBadge({ status }: { status: string }) {
  const t = useT();
  return <span className={`status status-${status}`}>{t(`credits.status.${status}` as MessageKey)}</span>;
}
