import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { CsrfInput } from '../components/CsrfInput.js';
import { newestCheckpoint, platformKey, publishedPlatformKeys, signCheckpointNow } from '../features/credits/ledger-checkpoints.server.js';
import { auditLedger, ledgerHead } from '../features/credits/ledger.server.js';
import { parseForm } from '../features/forms.server.js';
import { formatDateTime, useLocale, useT } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { requirePermission } from '../features/identity/guards.server.js';
import { getServices } from '../services.server.js';
import { LedgerVerdict } from '../features/credits/LedgerVerdict.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'ledger.title');

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, 'admin:audit');
  const head = z.string().regex(/^[0-9a-f]{64}$/).safeParse(new URL(request.url).searchParams.get('head'));
  const { db } = getServices();
  const [current, audit, latest] = await Promise.all([
    ledgerHead(db),
    auditLedger(db, { head: head.success ? { count: 0, hash: head.data } : undefined, trusted: publishedPlatformKeys() }),
    newestCheckpoint(),
  ]);
  return { current, audit, latest, canSign: platformKey() !== null, checkedHead: head.success ? head.data : null };
}

const signSchema = z.object({ intent: z.literal('sign-checkpoint') });

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, 'admin:audit');
  const { submission } = await parseForm(request, signSchema);
  if (submission.status !== 'success') return { signed: null };
  const checkpoint = await signCheckpointNow(user.id, context.clientIp);
  return { signed: checkpoint ? { size: checkpoint.treeSize } : null };
}

export default function LedgerPage() {
  const { current, audit, latest, canSign, checkedHead } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  return (
    <section aria-labelledby="ledger-title">
      <h2 id="ledger-title">{t('ledger.title')}</h2>
      <p>{t('ledger.lead')}</p>
      <p>
        {t('ledger.head')} <code className="hash">{current.hash}</code> ({t('ledger.count', { count: current.count })})
      </p>
      <LedgerVerdict audit={audit} />
      <Form method="get" className="stacked">
        <div className="field">
          <label htmlFor="head">{t('ledger.checkHead')}</label>
          <input id="head" name="head" pattern="[0-9a-f]{64}" defaultValue={checkedHead ?? ''} className="hash" />
        </div>
        <button type="submit" className="button">
          {t('ledger.verify')}
        </button>
      </Form>

      <h3 id="checkpoints-title">{t('ledger.checkpoints.title')}</h3>
      <p className="muted">{t('ledger.checkpoints.lead')}</p>
      {latest ? (
        <dl className="facts" aria-labelledby="checkpoints-title" data-latest-checkpoint={latest.treeSize}>
          <dt>{t('ledger.checkpoints.size')}</dt>
          <dd>{latest.treeSize}</dd>
          <dt>{t('ledger.checkpoints.headHash')}</dt>
          <dd>
            <code className="hash">{latest.headHash}</code>
          </dd>
          <dt>{t('ledger.checkpoints.signedAt')}</dt>
          <dd>
            <time dateTime={latest.signedAt}>{formatDateTime(locale, new Date(latest.signedAt))}</time>
          </dd>
          <dt>{t('ledger.checkpoints.keyId')}</dt>
          <dd>
            <code className="hash">{latest.keyId}</code>
          </dd>
        </dl>
      ) : (
        <p>{t('ledger.checkpoints.none')}</p>
      )}
      <p>
        {t('ledger.checkpoints.links')} <a href="/ledger/checkpoints/latest.json">{t('ledger.checkpoints.latestJson')}</a> ·{' '}
        <a href="/ledger/checkpoints">{t('ledger.checkpoints.allJson')}</a> · <a href="/ledger/keys.json">{t('ledger.checkpoints.keysJson')}</a>
      </p>
      {canSign ? (
        <Form method="post">
          <CsrfInput />
          <input type="hidden" name="intent" value="sign-checkpoint" />
          <button type="submit" className="button">
            {t('ledger.checkpoints.sign')}
          </button>
        </Form>
      ) : (
        <p className="notice warn">{t('ledger.checkpoints.noKey')}</p>
      )}
      {result?.signed ? (
        <p className="notice ok" role="status">
          {t('ledger.checkpoints.signed', { size: result.signed.size })}
        </p>
      ) : null}
    </section>
  );
}
