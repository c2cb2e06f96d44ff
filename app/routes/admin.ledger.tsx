import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { ledgerHead, verifyLedger } from '../features/credits/ledger.server.js';
import { useT } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { requirePermission } from '../features/identity/guards.server.js';
import { getServices } from '../services.server.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'ledger.title');

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, 'admin:audit');
  const head = z.string().regex(/^[0-9a-f]{64}$/).safeParse(new URL(request.url).searchParams.get('head'));
  const { db } = getServices();
  const [current, report] = await Promise.all([ledgerHead(db), verifyLedger(db, head.success ? { count: 0, hash: head.data } : undefined)]);
  return { current, report, checkedHead: head.success ? head.data : null };
}

export default function LedgerPage() {
  const { current, report, checkedHead } = useLoaderData<typeof loader>();
  const t = useT();
  const p = report.problem;
  return (
    <section aria-labelledby="ledger-title">
      <h2 id="ledger-title">{t('ledger.title')}</h2>
      <p>{t('ledger.lead')}</p>
      <p>
        {t('ledger.head')} <code className="hash">{current.hash}</code> ({t('ledger.count', { count: current.count })})
      </p>
      <p className={p ? 'notice warn' : 'notice ok'} role="status" data-ledger-problem={p?.kind ?? 'none'}>
        {!p
          ? t('ledger.ok', { count: report.count })
          : p.kind === 'altered'
            ? t('ledger.problem.altered', { seq: p.seq })
            : p.kind === 'inserted'
              ? t('ledger.problem.inserted', { seq: p.seq })
              : p.beforeSeq === null
                ? t('ledger.problem.deletedTail')
                : t('ledger.problem.deleted', { seq: p.beforeSeq })}
      </p>
      <Form method="get" className="stacked">
        <div className="field">
          <label htmlFor="head">{t('ledger.checkHead')}</label>
          <input id="head" name="head" pattern="[0-9a-f]{64}" defaultValue={checkedHead ?? ''} className="hash" />
        </div>
        <button type="submit" className="button">
          {t('ledger.verify')}
        </button>
      </Form>
    </section>
  );
}
