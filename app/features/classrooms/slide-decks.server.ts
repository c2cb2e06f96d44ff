import { and, desc, eq } from 'drizzle-orm';
import { lessonMaterials, slideDecks } from '../../../db/schema/index.js';
import { deckView, type DeckView } from '../../../db/slide-deck-view.js';
import type { Database } from '../../../db/client.js';
import { checkPdfUpload, type PdfRejection } from '../../../media/pdf-pages.js';
import { enqueue } from '../../../workers/queues.js';
import { slideKeys } from '../../../workers/storage/index.js';
import { getServices } from '../../services.server.js';
import { getMediaStorage } from '../learning/media-storage.server.js';
import { getQueues } from '../queues.server.js';
import { openMaterial } from '../studio/materials.server.js';
import { sanitiseMaterialName } from '../studio/materials.js';
import type { SessionForUser } from './access.server.js';
import { appendSessionEvent } from './session-events.server.js';

export type DeckOutcome = { ok: true; deck: DeckView } | { ok: false; rejection: PdfRejection | { code: 'no-material' } };

type Reader = Pick<Database, 'select'>;

/** The deck a session shows: its newest ready one. */
async function shownDeck(db: Reader, sessionId: string) {
  const [d] = await db.select().from(slideDecks).where(and(eq(slideDecks.sessionId, sessionId), eq(slideDecks.status, 'ready'))).orderBy(desc(slideDecks.createdAt)).limit(1);
  return d ?? null;
}

/** The session's shown deck and, for the teacher, a newer one still rendering or refused. */
export async function sessionDecks(sessionId: string, audience: 'teacher' | 'screen'): Promise<{ deck: DeckView | null; upload: DeckView | null }> {
  const { db } = getServices();
  const ready = await shownDeck(db, sessionId);
  const [newest] = audience === 'teacher' ? await db.select().from(slideDecks).where(eq(slideDecks.sessionId, sessionId)).orderBy(desc(slideDecks.createdAt)).limit(1) : [];
  return { deck: ready ? deckView(ready) : null, upload: newest && newest.id !== ready?.id ? deckView(newest) : null };
}

/** Pages of the deck the session shows, or null when it shows text lines. */
export async function shownDeckPages(db: Reader, sessionId: string): Promise<number | null> {
  return (await shownDeck(db, sessionId))?.pageCount ?? null;
}

/**
 * Stores the PDF where every worker can read it, records the deck (a teacher-only event:
 * the console shows it rendering) and queues the rendering once committed.
 */
async function queueDeck(s: SessionForUser, userId: string, bytes: Uint8Array, fileName: string, materialId: string | null): Promise<DeckOutcome> {
  const rejection = checkPdfUpload(bytes.subarray(0, 8), bytes.length);
  if (rejection) return { ok: false, rejection };
  const { db } = getServices();
  const [row] = await db
    .insert(slideDecks)
    .values({ sessionId: s.session.id, materialId, fileName, sourceBytes: bytes.length, createdBy: userId })
    .returning();
  const deck = row!;
  try {
    await getMediaStorage().put(slideKeys.source(s.session.id, deck.id), Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    // No deck left waiting for a file that never arrived.
    await db.delete(slideDecks).where(eq(slideDecks.id, deck.id));
    throw error;
  }
  await appendSessionEvent(s.session.id, async () => ({ kind: 'deck', payload: { upload: deckView(deck) }, audience: 'teacher' }));
  await enqueue(getQueues(), 'render-slides', { deckId: deck.id }, deck.id);
  return { ok: true, deck: deckView(deck) };
}

/**
 * Takes the shown deck off the session (its images go too): screens fall back to the
 * previous ready deck, or to the text lines. A logged event, so every screen follows.
 */
export async function removeDeck(s: SessionForUser, deckId: string): Promise<boolean> {
  let removed = false;
  await appendSessionEvent(s.session.id, async (tx) => {
    const gone = await tx.delete(slideDecks).where(and(eq(slideDecks.id, deckId), eq(slideDecks.sessionId, s.session.id))).returning({ id: slideDecks.id });
    if (!gone.length) return null;
    removed = true;
    const shown = await shownDeck(tx, s.session.id);
    return { kind: 'deck', payload: { deck: shown ? deckView(shown) : null, upload: null } };
  });
  if (removed) await getMediaStorage().removePrefix(slideKeys.deck(s.session.id, deckId));
  return removed;
}

export async function deckFromUpload(s: SessionForUser, userId: string, file: File): Promise<DeckOutcome> {
  // Refuse by size before reading a byte into memory.
  const early = checkPdfUpload(new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d]), file.size);
  if (early) return { ok: false, rejection: early };
  return queueDeck(s, userId, new Uint8Array(await file.arrayBuffer()), sanitiseMaterialName(file.name, 'pdf'), null);
}

/** The lesson's PDF materials a teacher may pick instead of uploading. */
export async function lessonPdfMaterials(lessonId: string) {
  return getServices()
    .db.select({ id: lessonMaterials.id, fileName: lessonMaterials.fileName, sizeBytes: lessonMaterials.sizeBytes })
    .from(lessonMaterials)
    .where(and(eq(lessonMaterials.lessonId, lessonId), eq(lessonMaterials.contentType, 'application/pdf')))
    .orderBy(lessonMaterials.fileName);
}

export async function deckFromMaterial(s: SessionForUser, userId: string, materialId: string): Promise<DeckOutcome> {
  const material = await openMaterial(s.session.lessonId, materialId);
  if (!material || material.contentType !== 'application/pdf') return { ok: false, rejection: { code: 'no-material' } };
  const bytes = new Uint8Array(await new Response(material.body).arrayBuffer());
  return queueDeck(s, userId, bytes, material.fileName, materialId);
}
