import type { FileStore } from '@tus/file-store';

/** Removes partial uploads older than UPLOAD_EXPIRY_HOURS; finished uploads are kept for their videos. */
export async function purgeAbandonedUploads(store: FileStore): Promise<{ deleted: number }> {
  return { deleted: await store.deleteExpired() };
}
