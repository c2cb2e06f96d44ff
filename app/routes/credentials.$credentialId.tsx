import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { CsrfInput } from '../components/CsrfInput.js';
import { verifyAnyCredential } from '../features/credits/credential-verifier.server.js';
import { getCredential, revokeCredential } from '../features/credits/credentials.server.js';
import { qrSvg } from '../features/credits/qr.server.js';
import { parseForm } from '../features/forms.server.js';
import { useLocale, useT, type MessageKey } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { requirePermission } from '../features/identity/guards.server.js';
import { hasPermission } from '../features/identity/permissions.js';
import { getCurrentUser } from '../features/identity/session.server.js';
import { publicBaseUrl } from '../env.server.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'credential.title');

async function loadCredential(id: string | undefined) {
  const parsed = z.string().uuid().safeParse(id);
  const found = parsed.success ? await getCredential(parsed.data) : null;
  if (!found) throw data({ reason: 'not-found' as const }, { status: 404 });
  // The holder erased their account: the copy with their name is gone; theirs still verifies.
  if (found.credential.jwt === '') throw data({ reason: 'gone' as const }, { status: 410 });
  return found;
}

/** Public: anyone holding the link (or scanning the QR code) can check the credential. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const found = await loadCredential(params.credentialId);
  const outcome = await verifyAnyCredential(found.credential.document ? JSON.stringify(found.credential.document) : found.credential.jwt);
  const user = await getCurrentUser(request);
  const pageUrl = `${publicBaseUrl()}/credentials/${found.credential.id}`;
  const vc = (outcome.credential ?? {}) as { validFrom?: string; name?: string; credentialSubject?: { identifier?: { identityHash?: string }[]; creditsEarned?: number; achievement?: { description?: string } } };
  return {
    id: found.credential.id,
    issuer: { nameZh: found.nameZh, nameEn: found.nameEn },
    verification: { valid: outcome.status === 'valid', revoked: outcome.status === 'revoked', reason: outcome.status === 'valid' ? null : (outcome.reason ?? outcome.status) },
    summary: { name: vc.name ?? '', holder: vc.credentialSubject?.identifier?.[0]?.identityHash ?? '', validFrom: vc.validFrom ?? '', description: vc.credentialSubject?.achievement?.description ?? '' },
    qr: qrSvg(pageUrl),
    canRevoke: !!user && hasPermission(user.memberships, 'credits:decide', found.credential.institutionId) && !found.credential.revokedAt,
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const found = await loadCredential(params.credentialId);
  const user = await requirePermission(request, context, 'credits:decide', { institutionId: found.credential.institutionId });
  const { submission } = await parseForm(request, z.object({ intent: z.literal('revoke'), reason: z.string().trim().min(1).max(500) }));
  if (submission.status !== 'success') return data({ error: 'errors.reasonRequired' as MessageKey, revoked: false }, { status: 400 });
  const revoked = await revokeCredential(found.credential.id, found.credential.institutionId, user.id, submission.value.reason, context.clientIp);
  return revoked ? { error: null, revoked: true } : data({ error: 'credential.revoked' as MessageKey, revoked: false }, { status: 409 });
}

export default function CredentialPage() {
  const { id, issuer, verification, summary, qr, canRevoke } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  const issuerName = locale === 'en' ? issuer.nameEn : issuer.nameZh;
  return (
    <section aria-labelledby="credential-title">
      <h1 id="credential-title">{t('credential.title')}</h1>
      {actionData?.revoked ? (
        <p className="notice ok" role="status">
          {t('credential.revokedDone')}
        </p>
      ) : null}
      <p className={verification.valid ? 'notice ok verdict' : 'notice warn verdict'} role="status" data-credential-valid={verification.valid ? 'yes' : 'no'}>
        {verification.valid ? t('credential.valid', { issuer: issuerName }) : verification.revoked ? t('credential.revoked') : t('credential.invalid', { reason: verification.reason ?? '' })}
      </p>
      <dl className="facts">
        <dt>{t('credential.achievement')}</dt>
        <dd>{summary.name}</dd>
        <dt>{t('credential.subject')}</dt>
        <dd>{summary.holder}</dd>
        <dt>{t('credential.issuedOn')}</dt>
        <dd>{summary.validFrom.slice(0, 10)}</dd>
      </dl>
      <p lang="en">{summary.description}</p>
      <p>
        <a href={`/credentials/${id}/download`} download>
          {t('credential.download')}
        </a>{' '}
        ·{' '}
        <a href={`/credentials/${id}/download?format=jwt`} download>
          {t('credential.downloadJwt')}
        </a>
      </p>
      <figure className="qr">
        {/* The SVG is generated on the server from our own URL by qrcode-generator. */}
        <div role="img" aria-label={t('credential.qr')} dangerouslySetInnerHTML={{ __html: qr }} />
        <figcaption>{t('credential.qr')}</figcaption>
      </figure>
      <p className="muted">{t('credential.verifyApi')}</p>
      {canRevoke ? (
        <Form method="post" className="stacked">
          <CsrfInput />
          <input type="hidden" name="intent" value="revoke" />
          <div className="field">
            <label htmlFor="revoke-reason">{t('credential.revokeReason')}</label>
            <input id="revoke-reason" name="reason" required maxLength={500} />
          </div>
          <button type="submit" className="button danger">
            {t('credential.revoke')}
          </button>
        </Form>
      ) : null}
    </section>
  );
}
