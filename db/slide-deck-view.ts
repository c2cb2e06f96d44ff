import type { DeckRejection, DeckStatus, SlideDeck } from './schema/slides.js';

/** A slide deck as pages and events carry it (the worker publishes the same shape). */
export type DeckView = { id: string; fileName: string; status: DeckStatus; pageCount: number | null; pagesDone: number; pageBytes: number[]; rejection: DeckRejection | null };

export function deckView(d: Pick<SlideDeck, 'id' | 'fileName' | 'status' | 'pageCount' | 'pagesDone' | 'pageBytes' | 'rejection'>): DeckView {
  return { id: d.id, fileName: d.fileName, status: d.status, pageCount: d.pageCount, pagesDone: d.pagesDone, pageBytes: d.pageBytes, rejection: d.rejection };
}
