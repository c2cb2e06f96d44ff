import { slidePageFile, slideThumbFile } from '../../../media/slide-files.js';
import { useT, type MessageKey } from '../i18n/i18n.js';
import { SlidePanel } from './ConsolePanels.js';
import { CommandForm } from './SessionForms.js';
import { slideCount, type DeckView, type SessionView } from './session-view.js';

type Rejection = { code: string; params?: Record<string, number> };

export function rejectionParams(r: Rejection): Record<string, number> {
  return r.params ?? {};
}

/** One line on a deck: queued, page n of N, ready, or refused and why. */
export function DeckStatus({ deck }: { deck: DeckView }) {
  const t = useT();
  const name = deck.fileName;
  switch (deck.status) {
    case 'queued':
      return <p role="status" className="notice" data-testid="deck-status" data-status={deck.status}>{t('slides.queued', { name })}</p>;
    case 'rendering':
      return (
        <p role="status" className="notice" data-testid="deck-status" data-status={deck.status}>
          {t('slides.rendering', { name, done: deck.pagesDone, total: deck.pageCount ?? '?' })} <progress max={deck.pageCount ?? 1} value={deck.pagesDone} />
        </p>
      );
    case 'ready':
      return <p role="status" className="notice ok" data-testid="deck-status" data-status={deck.status}>{t('slides.ready', { name, pages: deck.pageCount ?? 0 })}</p>;
    case 'failed':
      return <p role="alert" className="notice warn" data-testid="deck-status" data-status={deck.status}>{t('slides.failed', { name })}</p>;
    case 'rejected': {
      const r = deck.rejection ?? { code: 'unreadable' };
      return (
        <p role="alert" className="notice warn" data-testid="deck-status" data-status={deck.status}>
          {t('slides.rejected', { name, reason: t(`slides.reject.${r.code}` as MessageKey, rejectionParams(r)) })}
        </p>
      );
    }
  }
}

const current = (view: SessionView) => Math.min(view.state.slide, Math.max(0, slideCount(view) - 1));

/** What a screen shows of the slides: the PDF page image, or the text line when there is no deck. */
export function SlideShow({ view, slidesBase }: { view: SessionView; slidesBase: string }) {
  const t = useT();
  const deck = view.deck;
  if (!deck?.pageCount) return <SlidePanel view={view} />;
  const n = current(view) + 1;
  return (
    <section className="panel slide" aria-labelledby="slide-title" aria-live="polite">
      <h2 id="slide-title">{t('classroom.slide', { n, total: deck.pageCount })}</h2>
      <img className="slide-page" src={`${slidesBase}${deck.id}/${slidePageFile(n)}`} alt={t('slides.pageImage', { n })} data-testid="slide-page" data-page={n} width={1280} height={720} decoding="async" />
    </section>
  );
}

/** The console's slides: the page on screen, thumbnails to jump to, rendering progress, and where to upload. */
export function DeckPanel({ view, slidesBase, sessionId }: { view: SessionView; slidesBase: string; sessionId: string }) {
  const t = useT();
  const deck = view.deck;
  const total = slideCount(view);
  return (
    <section className="panel" aria-labelledby="deck-title">
      <h2 id="deck-title">{t('slides.title')}</h2>
      {view.upload ? <DeckStatus deck={view.upload} /> : deck ? <DeckStatus deck={deck} /> : null}
      {deck?.pageCount ? (
        <>
          <SlideShow view={view} slidesBase={slidesBase} />
          <ol className="slide-thumbs" aria-label={t('slides.thumbs')}>
            {Array.from({ length: deck.pageCount }, (_, i) => (
              <li key={i} aria-current={i === current(view) ? 'true' : undefined}>
                <CommandForm intent="slide" fields={{ slide: String(i) }}>
                  <button type="submit" className="thumb-button" aria-label={`${t('slides.goTo', { n: i + 1 })}${i === current(view) ? ` ${t('slides.current')}` : ''}`}>
                    <img src={`${slidesBase}${deck.id}/${slideThumbFile(i + 1)}`} alt="" width={160} height={90} loading="lazy" decoding="async" />
                    <span>{i + 1}</span>
                  </button>
                </CommandForm>
              </li>
            ))}
          </ol>
        </>
      ) : (
        <SlidePanel view={view} />
      )}
      {total > 1 ? (
        <CommandForm intent="slide-page" className="row-form">
          <div className="field">
            <label htmlFor="go-to-page">{t('slides.goToPage')}</label>
            <input id="go-to-page" name="page" type="number" min={1} max={total} required />
          </div>
          <button type="submit" className="button secondary">{t('slides.goSubmit')}</button>
        </CommandForm>
      ) : null}
      <p>
        <a href={`/classroom/sessions/${sessionId}/slides`}>{t('slides.manage')}</a>
      </p>
    </section>
  );
}
