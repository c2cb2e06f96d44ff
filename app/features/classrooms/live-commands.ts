import { z } from 'zod';
import { MAX_CHUNK_SEQ } from '../../../media/live-chunk-order.js';

/** The teacher's on-air switch (the console's script posts these with the CSRF token). */
export const liveCommandSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('live-start'), camera: z.enum(['0', '1']).default('0').transform((v) => v === '1') }),
  z.object({ intent: z.literal('live-stop'), broadcastId: z.string().uuid(), lastChunk: z.coerce.number().int().min(-1).max(MAX_CHUNK_SEQ).optional() }),
]);

/** Where a chunk says it belongs: `?broadcast=<uuid>&seq=<n>`. */
export const chunkQuerySchema = z.object({ broadcast: z.string().uuid(), seq: z.coerce.number().int().min(0).max(MAX_CHUNK_SEQ) });

export const liveChunkPath = (sessionId: string, broadcastId: string, seq: number) => `/classroom/sessions/${sessionId}/live/chunks?broadcast=${broadcastId}&seq=${seq}`;
export const livePath = (sessionId: string) => `/classroom/sessions/${sessionId}/live`;

export type LiveStatus = {
  live: { broadcastId: string; withVideo: boolean; playlists: { audio: string; video: string | null } } | null;
  /** The teacher's latest broadcast and its recording (teacher only). */
  latest: { id: string; status: string; recordingLessonId: string | null; videoStatus: string | null } | null;
};
