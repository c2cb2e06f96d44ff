import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';

// The one registry of queues and job types. Payloads carry ids, never secrets or blobs.
export const queueNames = ['maintenance', 'video', 'slides', 'live', 'mail'] as const;
export type QueueName = (typeof queueNames)[number];

export const jobNames = ['purge-expired-sessions', 'purge-abandoned-uploads', 'sweep-replaced-videos', 'check-video-files', 'probe-video', 'transcode-video', 'transcode-chunk', 'join-chunks', 'publish-video', 'remove-video-files', 'render-slides', 'package-live', 'send-mail'] as const;
export type JobName = (typeof jobNames)[number];

export type JobPayloads = {
  'purge-expired-sessions': { olderThanHours: number };
  'purge-abandoned-uploads': Record<string, never>;
  'sweep-replaced-videos': Record<string, never>;
  /** One ready video, or (no id) every ready video: are its files all in storage? */
  'check-video-files': { videoId?: string };
  'remove-video-files': { videoId: string };
  'probe-video': { videoId: string };
  'transcode-video': { videoId: string };
  /** One time chunk of a long lecture (media/chunks.ts); a child of its lecture's join-chunks. */
  'transcode-chunk': { videoId: string; index: number; startSeconds: number; durationSeconds: number | null; expectedSeconds: number; totalSeconds: number };
  /** Runs once every chunk of the lecture is encoded (a BullMQ flow parent). */
  'join-chunks': { videoId: string; chunks: { index: number; startSeconds: number }[] };
  'publish-video': { videoId: string };
  /** A live session's PDF to page images (decision 023). */
  'render-slides': { deckId: string };
  /** Runs for the whole broadcast: the teacher's chunks into ffmpeg, HLS out, the recording after. */
  'package-live': { broadcastId: string };
  /** One outbox row (db/schema/mail.ts); a token the mail needs is made by the worker, never carried here. */
  'send-mail': { mailId: string };
};

export const queueOfJob: Record<JobName, QueueName> = {
  'purge-expired-sessions': 'maintenance',
  'purge-abandoned-uploads': 'maintenance',
  'sweep-replaced-videos': 'maintenance',
  'check-video-files': 'maintenance',
  'remove-video-files': 'maintenance',
  'probe-video': 'video',
  'transcode-video': 'video',
  'transcode-chunk': 'video',
  'join-chunks': 'video',
  'publish-video': 'video',
  'render-slides': 'slides',
  'package-live': 'live',
  'send-mail': 'mail',
};

/** Adds a job to its queue under a deterministic id, so adding it twice runs it once. */
export async function enqueue<N extends JobName>(queues: Partial<Record<QueueName, Queue>>, name: N, data: JobPayloads[N], ...idParts: string[]) {
  const queue = queues[queueOfJob[name]];
  if (!queue) throw new Error(`no ${queueOfJob[name]} queue given for ${name}`);
  return queue.add(name, data, { jobId: jobId(name, ...idParts) });
}

export const defaultJobOptions: JobsOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { count: 1_000, age: 7 * 24 * 3600 },
  removeOnFail: { count: 5_000, age: 30 * 24 * 3600 },
};

/**
 * The id parts of a storage check of one video or of all: one per window. A player's 404s
 * use ten minutes, so many students meeting the same missing file ask for one check; the
 * admins' button ten seconds, so a double click runs one and a later click always runs.
 */
export function filesCheckIdParts(videoId: string | 'all', now = Date.now(), windowMs = 600_000): [string, string] {
  return [videoId, `${windowMs / 1000}s-${Math.floor(now / windowMs)}`];
}

/** Deterministic ids: no `:` (BullMQ reserves it) and never digits only. */
export function jobId(name: JobName, ...parts: (string | number)[]): string {
  return [name, ...parts].join('--').replace(/:/g, '_');
}

export function createQueue(name: QueueName, connection: ConnectionOptions, onError: (error: Error) => void, prefix = 'bull'): Queue {
  const queue = new Queue(name, { connection, defaultJobOptions, prefix });
  queue.on('error', onError);
  return queue;
}
