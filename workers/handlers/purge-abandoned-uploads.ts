import type { UploadStore } from '../storage/upload-store.js';

/**
 * Removes partial uploads begun more than UPLOAD_EXPIRY_HOURS ago (in the bucket: their
 * multipart uploads are aborted, so their parts stop costing storage); finished uploads
 * are kept for their videos.
 */
export async function purgeAbandonedUploads(store: UploadStore): Promise<{ deleted: number }> {
  return { deleted: await store.purgeAbandoned() };
}
