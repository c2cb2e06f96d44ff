import { createWriteStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Job } from 'bullmq';
import { eq } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import type { Database } from '../../db/client.js';
import { slideDecks, type DeckRejection, type SlideDeck } from '../../db/schema/index.js';
import { logSessionEvent, sessionChannel, type SessionMessage } from '../../db/session-log.js';
import { deckView } from '../../db/slide-deck-view.js';
import { checkPdfInfo, checkPdfUpload, PdfRejectedError, readPdfInfo, renderPdfPage, type Fence, type PdfRejection } from '../../media/pdf-pages.js';
import type { JobPayloads } from '../queues.js';
import type { Logger } from '../runtime/logger.js';
import { slideKeys, type MediaStorage } from '../storage/index.js';

export type SlideJobContext = { db: Database; log: Logger; storage: MediaStorage; publisher: Redis; shutdown: AbortSignal; ffmpegBin: string; fence: Fence };

async function publish(ctx: SlideJobContext, sessionId: string, message: SessionMessage) {
  await ctx.publisher.publish(sessionChannel(sessionId), JSON.stringify(message)).catch((e: Error) => ctx.log.warn({ err: e.message, sessionId }, 'slide progress publish failed'));
}

async function update(ctx: SlideJobContext, deckId: string, set: Partial<SlideDeck>): Promise<SlideDeck | null> {
  const [row] = await ctx.db.update(slideDecks).set({ ...set, updatedAt: new Date() }).where(eq(slideDecks.id, deckId)).returning();
  return row ?? null;
}

/** Progress only the teacher watches: live, not logged (the snapshot has the row's figures). */
async function progress(ctx: SlideJobContext, deck: SlideDeck) {
  await publish(ctx, deck.sessionId, { seq: null, kind: 'deck', payload: { upload: deckView(deck) }, audience: 'teacher' });
}

/** An outcome every screen (ready) or the teacher (refused) must see even after a reconnect: logged. */
async function settle(ctx: SlideJobContext, deck: SlideDeck, set: Partial<SlideDeck>) {
  const message = await logSessionEvent(ctx.db, deck.sessionId, async (tx) => {
    const [row] = await tx.update(slideDecks).set({ ...set, updatedAt: new Date() }).where(eq(slideDecks.id, deck.id)).returning();
    if (!row) return null;
    const view = deckView(row);
    return row.status === 'ready' ? { kind: 'deck', payload: { deck: view, upload: null } } : { kind: 'deck', payload: { upload: view }, audience: 'teacher' };
  });
  if (message) await publish(ctx, deck.sessionId, message);
}

async function fetchSource(ctx: SlideJobContext, deck: SlideDeck, dir: string): Promise<string | null> {
  const source = await ctx.storage.read(slideKeys.source(deck.sessionId, deck.id));
  if (!source) return null;
  const file = join(dir, 'source.pdf');
  await pipeline(source.body, createWriteStream(file));
  return file;
}

async function headOf(file: string): Promise<{ head: Uint8Array; size: number }> {
  const handle = await open(file);
  try {
    const head = new Uint8Array(8);
    await handle.read(head, 0, 8, 0);
    return { head, size: (await handle.stat()).size };
  } finally {
    await handle.close();
  }
}

/**
 * Renders a deck's PDF to page images in media storage, page by page with progress for the
 * teacher; a PDF that breaks a limit is refused with the reason (no retry). Re-running it
 * starts again from page 1 and overwrites, so a retried or handed-back job does no harm.
 */
export async function renderSlides(ctx: SlideJobContext, job: Job<JobPayloads['render-slides']>) {
  const [deck] = await ctx.db.select().from(slideDecks).where(eq(slideDecks.id, job.data.deckId));
  if (!deck || (deck.status !== 'queued' && deck.status !== 'rendering')) return { skipped: true };
  const dir = await mkdtemp(join(tmpdir(), 'edu-slides-'));
  const reject = async (rejection: PdfRejection) => {
    await settle(ctx, deck, { status: 'rejected', rejection: rejection as DeckRejection });
    await ctx.storage.removePrefix(slideKeys.deck(deck.sessionId, deck.id));
    return { rejected: rejection.code };
  };
  try {
    const file = await fetchSource(ctx, deck, dir);
    if (!file) return await reject({ code: 'unreadable' });
    const { head, size } = await headOf(file);
    const early = checkPdfUpload(head, size);
    if (early) return await reject(early);
    const options = { fence: ctx.fence, ffmpegBin: ctx.ffmpegBin, signal: ctx.shutdown };
    const info = await readPdfInfo(file, options);
    const refused = checkPdfInfo(info);
    if (refused || !info) return await reject(refused ?? { code: 'unreadable' });
    // The teacher may take a deck down while it renders: then stop and leave nothing behind.
    const gone = async () => {
      await ctx.storage.removePrefix(slideKeys.deck(deck.sessionId, deck.id));
      return { skipped: true };
    };
    if (!(await update(ctx, deck.id, { status: 'rendering', pageCount: info.pages, pagesDone: 0, pageBytes: [], thumbBytes: [] }))) return await gone();
    const pageBytes: number[] = [];
    const thumbBytes: number[] = [];
    for (let page = 1; page <= info.pages; page++) {
      const r = await renderPdfPage(file, page, dir, options);
      await ctx.storage.put(slideKeys.page(deck.sessionId, deck.id, page), { file: r.page });
      await ctx.storage.put(slideKeys.thumb(deck.sessionId, deck.id, page), { file: r.thumb });
      pageBytes.push(r.pageBytes);
      thumbBytes.push(r.thumbBytes);
      await rm(join(dir, `render-${String(page).padStart(3, '0')}.png`), { force: true });
      const row = await update(ctx, deck.id, { pagesDone: page, pageBytes, thumbBytes });
      if (!row) return await gone();
      await progress(ctx, row);
    }
    await settle(ctx, deck, { status: 'ready', pagesDone: info.pages });
    await ctx.storage.remove([slideKeys.source(deck.sessionId, deck.id)]);
    return { pages: info.pages, bytes: pageBytes.reduce((a, b) => a + b, 0) };
  } catch (error) {
    if (error instanceof PdfRejectedError) return await reject(error.rejection);
    if ((job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) && !ctx.shutdown.aborted) {
      ctx.log.error({ deckId: deck.id, err: error instanceof Error ? error.message.slice(0, 500) : String(error) }, 'slide rendering failed for good');
      await settle(ctx, deck, { status: 'failed' });
    }
    throw error;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
