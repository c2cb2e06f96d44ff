import path from 'node:path';

// The local-disk layout under MEDIA_ROOT: tus uploads wait in uploads/ (or, kept in the
// bucket, are copied into a worker's sources/ to be read by ffmpeg), a worker builds a
// video's files in staging/<id>/ and publishes them to the media storage, which (when
// local) keeps each video in videos/<id>/ (hls/ ladder, poster, thumbnails). Ids are
// uuids, checked by the callers, so a path can never climb out of the root.
export const mediaPaths = (root: string) => ({
  uploads: path.join(root, 'uploads'),
  upload: (uploadId: string) => path.join(root, 'uploads', uploadId),
  sources: path.join(root, 'sources'),
  source: (uploadId: string) => path.join(root, 'sources', uploadId),
  video: (videoId: string) => path.join(root, 'videos', videoId),
  ladder: (videoId: string) => path.join(root, 'videos', videoId, 'hls'),
  ladderPrefix: (videoId: string) => `videos/${videoId}/hls`,
  staging: (videoId: string) => path.join(root, 'staging', videoId),
});
