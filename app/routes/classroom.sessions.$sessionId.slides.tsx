import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { CsrfInput } from '../components/CsrfInput.js';
import { PDF_LIMITS } from '../../media/pdf-pages.js';
import { requireSessionTeacher } from '../features/classrooms/access.server.js';
import { localName } from '../features/classrooms/names.js';
import { deckFromMaterial, deckFromUpload, lessonPdfMaterials, removeDeck, sessionDecks } from '../features/classrooms/slide-decks.server.js';
import { DeckStatus, rejectionParams } from '../features/classrooms/SlideDeckPanels.js';
import { parseForm } from '../features/forms.server.js';
import { useLocale, useT } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { formatBytes } from '../features/studio/format-bytes.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'slides.title');

const deckActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('deck-upload'), file: z.instanceof(File, { message: 'errors.required' }) }),
  z.object({ intent: z.literal('deck-material'), materialId: z.string().uuid() }),
  z.object({ intent: z.literal('deck-remove'), deckId: z.string().uuid() }),
]);

const statusOf = { 'not-pdf': 415, empty: 422, 'too-big': 413, 'no-material': 404 } as const;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { s } = await requireSessionTeacher(request, context, params.sessionId);
  return {
    session: { id: s.session.id, lessonTitleZh: s.lessonTitleZh, lessonTitleEn: s.lessonTitleEn },
    ...(await sessionDecks(s.session.id, 'teacher')),
    materials: await lessonPdfMaterials(s.session.lessonId),
    limits: { mb: Math.round(PDF_LIMITS.maxBytes / 1024 / 1024), pages: PDF_LIMITS.maxPages },
  };
}

/** The teacher uploads a PDF or picks one of the lesson's; it is checked, stored and queued for rendering. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const { s, user } = await requireSessionTeacher(request, context, params.sessionId);
  const { submission } = await parseForm(request, deckActionSchema);
  if (submission.status !== 'success') return data({ ok: false as const, rejection: { code: 'empty' as const } }, { status: 400 });
  const v = submission.value;
  if (v.intent === 'deck-remove') {
    const removed = await removeDeck(s, v.deckId);
    return data(removed ? { ok: true as const, removed: true as const } : { ok: false as const, rejection: { code: 'no-deck' as const } }, { status: removed ? 200 : 404 });
  }
  const outcome = v.intent === 'deck-upload' ? await deckFromUpload(s, user.id, v.file) : await deckFromMaterial(s, user.id, v.materialId);
  if (outcome.ok) return data({ ok: true as const, deck: outcome.deck }, { status: 202 });
  const code = outcome.rejection.code;
  return data({ ok: false as const, rejection: outcome.rejection }, { status: code in statusOf ? statusOf[code as keyof typeof statusOf] : 422 });
}

export default function SessionSlides() {
  const { session, deck, upload, materials, limits } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  return (
    <section aria-labelledby="slides-title">
      <p>
        <a href={`/classroom/sessions/${session.id}/console`}>{t('slides.back')}</a>
      </p>
      <h1 id="slides-title">
        {t('slides.title')}: {localName(locale, session.lessonTitleZh, session.lessonTitleEn)}
      </h1>
      <p>{t('slides.lead')}</p>
      {result && !result.ok ? (
        <p className="notice warn" role="alert" data-testid="deck-rejection">
          {t(`slides.reject.${result.rejection.code}`, rejectionParams(result.rejection))}
        </p>
      ) : null}
      {result?.ok && 'removed' in result ? (
        <p className="notice ok" role="status">
          {t('slides.removed')}
        </p>
      ) : null}
      {result?.ok && 'deck' in result ? <DeckStatus deck={result.deck} /> : upload ? <DeckStatus deck={upload} /> : null}
      {deck ? (
        <>
          <DeckStatus deck={deck} />
          <Form method="post" className="inline-form">
            <CsrfInput />
            <input type="hidden" name="intent" value="deck-remove" />
            <input type="hidden" name="deckId" value={deck.id} />
            <button type="submit" className="button danger">{t('slides.remove')}</button>
          </Form>
        </>
      ) : null}
      <Form method="post" encType="multipart/form-data" className="stacked panel">
        <CsrfInput />
        <input type="hidden" name="intent" value="deck-upload" />
        <div className="field">
          <label htmlFor="deck-file">{t('slides.file')}</label>
          <p className="hint" id="deck-hint">
            {t('slides.hint', limits)}
          </p>
          <input id="deck-file" name="file" type="file" accept="application/pdf,.pdf" required aria-describedby="deck-hint" />
        </div>
        <button type="submit" className="button">{t('slides.upload')}</button>
      </Form>
      <section className="panel" aria-labelledby="deck-material-title">
        <h2 id="deck-material-title">{t('slides.material')}</h2>
        {materials.length === 0 ? <p>{t('slides.noMaterials')}</p> : null}
        <ul className="plain-list">
          {materials.map((m) => (
            <li key={m.id}>
              <Form method="post" className="inline-form">
                <CsrfInput />
                <input type="hidden" name="intent" value="deck-material" />
                <input type="hidden" name="materialId" value={m.id} />
                {m.fileName} ({formatBytes(locale, m.sizeBytes)}) <button type="submit" className="link-button">{t('slides.useMaterial')}</button>
              </Form>
            </li>
          ))}
        </ul>
      </section>
    </section>
  );
}
