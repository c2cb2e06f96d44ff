// File names of a rendered slide deck's pages, shared by the worker that writes them and
// the pages that show them (no I/O here: the browser bundle imports it).
export const slidePageFile = (page: number) => `page-${String(page).padStart(3, '0')}.webp`;
export const slideThumbFile = (page: number) => `thumb-${String(page).padStart(3, '0')}.webp`;
/** What the signed slide path may serve: page images and thumbnails, nothing else of a deck. */
export const isServableSlidePath = (rest: string) => /^[0-9a-f-]{36}\/(page|thumb)-\d{3}\.webp$/.test(rest);
