import { data, type ActionFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData } from '@remix-run/react';
import { z } from 'zod';
import { CsrfInput } from '../components/CsrfInput.js';
import { verifyAnyCredential } from '../features/credits/credential-verifier.server.js';
import { maxCredentialBytes, verdictOf, type Verdict } from '../features/credits/verification-words.js';
import { parseForm } from '../features/forms.server.js';
import { useT, type MessageKey } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'verify.title');

type Answer = { error: MessageKey | null; verdict: Verdict | null; valid: boolean; facts: { issuer: string; holder: string | null; achievement: string | null; format: string | null; ours: boolean } | null };

const answer = (a: Partial<Answer>, status = 200) => data<Answer>({ error: null, verdict: null, valid: false, facts: null, ...a }, { status });

/** Public: anyone may check a credential; nothing pasted is stored. */
export async function action({ request }: ActionFunctionArgs) {
  // The form's own fields add a few hundred bytes to the credential's 64 KB.
  if (Number(request.headers.get('Content-Length') ?? 0) > maxCredentialBytes + 8 * 1024) return answer({ error: 'verify.tooLarge' }, 413);
  const { formData, submission } = await parseForm(request, z.object({ credential: z.string().max(maxCredentialBytes).optional() }));
  if (submission.status !== 'success') return answer({ error: 'verify.tooLarge' }, 413);
  const file = formData.get('file');
  const pasted = submission.value.credential?.trim() ?? '';
  const uploaded = file instanceof File && file.size > 0 ? file : null;
  if (uploaded && uploaded.size > maxCredentialBytes) return answer({ error: 'verify.tooLarge' }, 413);
  const text = pasted || (uploaded ? await uploaded.text() : '');
  if (!text) return answer({ error: 'verify.empty' }, 400);
  const outcome = await verifyAnyCredential(text);
  const s = outcome.summary;
  return answer({
    verdict: verdictOf(outcome, '—'),
    valid: outcome.status === 'valid',
    facts: s ? { issuer: s.issuerName ? `${s.issuerName} (${s.issuerId})` : s.issuerId, holder: s.holder, achievement: s.achievement, format: outcome.format, ours: s.ours } : null,
  });
}

export default function VerifyAnyCredential() {
  const result = useActionData<typeof action>();
  const t = useT();
  return (
    <section aria-labelledby="verify-title">
      <h1 id="verify-title">{t('verify.title')}</h1>
      <p>{t('verify.lead')}</p>
      {result ? (
        <div role="status" aria-live="polite">
          <h2>{t('verify.result')}</h2>
          {result.error ? (
            <p className="notice warn">{t(result.error)}</p>
          ) : result.verdict ? (
            <p className={result.valid ? 'notice ok verdict' : 'notice warn verdict'} data-verify-status={result.verdict.key}>
              {t(result.verdict.key as MessageKey, result.verdict.params)}
            </p>
          ) : null}
          {result.facts ? (
            <dl className="facts">
              <dt>{t('verify.facts.issuer')}</dt>
              <dd>
                {result.facts.issuer} — {t(result.facts.ours ? 'verify.facts.ours' : 'verify.facts.theirs')}
              </dd>
              <dt>{t('verify.facts.holder')}</dt>
              <dd>{result.facts.holder ?? t('verify.unknown')}</dd>
              <dt>{t('verify.facts.achievement')}</dt>
              <dd>{result.facts.achievement ?? t('verify.unknown')}</dd>
              <dt>{t('verify.facts.format')}</dt>
              <dd>{result.facts.format ?? t('verify.unknown')}</dd>
            </dl>
          ) : null}
        </div>
      ) : null}
      <Form method="post" encType="multipart/form-data" className="stacked">
        <CsrfInput />
        <div className="field">
          <label htmlFor="verify-credential">{t('verify.paste')}</label>
          <textarea id="verify-credential" name="credential" rows={10} maxLength={maxCredentialBytes} spellCheck={false} className="mono" />
        </div>
        <div className="field">
          <label htmlFor="verify-file">{t('verify.file')}</label>
          <input id="verify-file" name="file" type="file" accept=".json,.jwt,.txt,application/json,application/ld+json" />
        </div>
        <button type="submit" className="button">
          {t('verify.submit')}
        </button>
      </Form>
    </section>
  );
}
