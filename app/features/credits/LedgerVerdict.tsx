import { formatDateTime, useLocale, useT } from '../i18n/i18n.js';
import type { ChainProblem } from './ledger-chain.js';
import type { Disagreement } from './ledger-reconcile.js';

type Audit = {
  report: { ok: boolean; count: number; problem: ChainProblem | null } | null;
  invalidCheckpoint: { where: 'kept' | 'stored'; checkpoint: { treeSize: number; signedAt: string } } | null;
  disagreement: Disagreement | null;
  checkpoints: { treeSize: number; headHash: string; signedAt: string }[];
};

/** What the full ledger check found, in one status line (data-ledger-problem names the kind). */
export function LedgerVerdict({ audit }: { audit: Audit }) {
  const t = useT();
  const locale = useLocale();
  const when = (iso: string) => formatDateTime(locale, new Date(iso));
  const p = audit.report?.problem ?? null;
  const d = audit.disagreement;
  const kind = audit.invalidCheckpoint ? 'checkpoint-invalid' : p ? p.kind : d ? 'disagreement' : 'none';
  let text: string;
  if (audit.invalidCheckpoint) {
    const c = audit.invalidCheckpoint.checkpoint;
    text = t('ledger.problem.checkpointInvalid', { signedAt: when(c.signedAt), size: c.treeSize });
  } else if (p?.kind === 'rewritten') {
    const signedAt = when(audit.checkpoints.find((c) => c.treeSize === p.treeSize && c.headHash === p.expected)?.signedAt ?? new Date(0).toISOString());
    text = p.found === null ? t('ledger.problem.truncated', { signedAt, size: p.treeSize }) : t('ledger.problem.rewritten', { signedAt, size: p.treeSize, expected: p.expected, found: p.found });
  } else if (p?.kind === 'deleted') {
    text = p.beforeSeq === null ? t('ledger.problem.deletedTail') : t('ledger.problem.deleted', { seq: p.beforeSeq });
  } else if (p) {
    text = t(p.kind === 'altered' ? 'ledger.problem.altered' : 'ledger.problem.inserted', { seq: p.seq });
  } else if (d) {
    const empty = t('ledger.problem.empty');
    text = t('ledger.problem.disagreement', { table: d.table, rowId: d.rowId, column: d.column, inTable: d.inTable ?? empty, inLedger: d.inLedger ?? empty });
  } else {
    text = t('ledger.ok', { count: audit.report?.count ?? 0 });
  }
  return (
    <>
      <p className={kind === 'none' ? 'notice ok' : 'notice warn'} role="status" data-ledger-problem={kind}>
        {text}
      </p>
      {kind === 'none' && audit.checkpoints.length > 0 ? <p className="muted">{t('ledger.checkpoints.checked', { count: audit.checkpoints.length })}</p> : null}
    </>
  );
}
