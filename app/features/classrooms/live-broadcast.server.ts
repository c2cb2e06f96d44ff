import { and, desc, eq, inArray } from 'drizzle-orm';
import { liveBroadcasts, videos, type LiveBroadcast } from '../../../db/schema/index.js';
import { MAX_CHUNK_BYTES, MAX_CHUNK_SEQ } from '../../../media/live-chunk-order.js';
import { liveRungs } from '../../../media/live-hls.js';
import { nudgePackager, storeChunk } from '../../../workers/live/chunk-store.js';
import { enqueue } from '../../../workers/queues.js';
import { getServices } from '../../services.server.js';
import { signedLiveBase } from '../learning/media-urls.server.js';
import { getQueues } from '../queues.server.js';
import { appendSessionEvent } from './session-events.server.js';
import type { LiveView } from './session-view.js';

export type BroadcastOutcome = { ok: true; broadcastId: string } | { ok: false; status: number; reason: string };

const onAir = ['live', 'stopping'] as const;

export function liveView(b: Pick<LiveBroadcast, 'id' | 'withVideo'> | undefined | null): LiveView | null {
  return b ? { broadcastId: b.id, withVideo: b.withVideo } : null;
}

/** The broadcast a session's screens should be playing, if any. */
export async function broadcastOnAir(sessionId: string): Promise<LiveBroadcast | undefined> {
  const [row] = await getServices().db.select().from(liveBroadcasts).where(and(eq(liveBroadcasts.sessionId, sessionId), eq(liveBroadcasts.status, 'live')));
  return row;
}

/**
 * The teacher goes on air: one broadcast per session at a time (a unique index), its
 * packager job queued, every screen told in the session's event log.
 */
export async function startBroadcast(sessionId: string, teacherId: string, withVideo: boolean): Promise<BroadcastOutcome> {
  let created: LiveBroadcast | undefined;
  let refusal: BroadcastOutcome | null = null;
  await appendSessionEvent(sessionId, async (tx, session) => {
    if (session.status === 'ended') {
      refusal = { ok: false, status: 409, reason: 'classroom.live.error.sessionEnded' };
      return null;
    }
    const [existing] = await tx.select({ id: liveBroadcasts.id }).from(liveBroadcasts).where(and(eq(liveBroadcasts.sessionId, sessionId), inArray(liveBroadcasts.status, onAir)));
    if (existing) {
      refusal = { ok: false, status: 409, reason: 'classroom.live.error.alreadyLive' };
      return null;
    }
    [created] = await tx.insert(liveBroadcasts).values({ sessionId, teacherId, withVideo }).returning();
    return { kind: 'live', payload: { live: liveView(created) } };
  });
  if (refusal) return refusal;
  if (!created) return { ok: false, status: 404, reason: 'not-found' };
  await enqueue(getQueues(), 'package-live', { broadcastId: created.id }, created.id);
  return { ok: true, broadcastId: created.id };
}

/** Off air: the packager takes the chunks still on their way (up to `lastChunk`), then makes the recording. */
export async function stopBroadcast(sessionId: string, broadcastId: string | null, lastChunk: number | null): Promise<BroadcastOutcome> {
  let stopped: string | null = null;
  await appendSessionEvent(sessionId, async (tx) => {
    const [row] = await tx
      .update(liveBroadcasts)
      .set({ status: 'stopping', stoppedAt: new Date(), lastChunk })
      .where(and(eq(liveBroadcasts.sessionId, sessionId), eq(liveBroadcasts.status, 'live'), ...(broadcastId ? [eq(liveBroadcasts.id, broadcastId)] : [])))
      .returning({ id: liveBroadcasts.id });
    if (!row) return null;
    stopped = row.id;
    return { kind: 'live', payload: { live: null } };
  });
  if (!stopped) return { ok: false, status: 409, reason: 'classroom.live.error.notLive' };
  await nudgePackager(getServices().redis, stopped);
  return { ok: true, broadcastId: stopped };
}

export type ChunkOutcome = { status: 201 | 200 | 400 | 404 | 409 | 413; reason?: string };

/**
 * One chunk of the teacher's stream, stored until packaged. Idempotent: the same number
 * again is a success that changes nothing (200), so the browser may retry freely.
 */
export async function acceptChunk(sessionId: string, broadcastId: string, seq: number, body: Buffer): Promise<ChunkOutcome> {
  if (!Number.isInteger(seq) || seq < 0 || seq > MAX_CHUNK_SEQ) return { status: 400, reason: 'seq' };
  if (body.length === 0) return { status: 400, reason: 'empty' };
  if (body.length > MAX_CHUNK_BYTES) return { status: 413, reason: 'too-large' };
  const [row] = await getServices().db.select().from(liveBroadcasts).where(and(eq(liveBroadcasts.id, broadcastId), eq(liveBroadcasts.sessionId, sessionId)));
  if (!row) return { status: 404, reason: 'not-found' };
  // After "stop" only the chunks the browser said it had sent are still welcome.
  const open = row.status === 'live' || (row.status === 'stopping' && row.lastChunk !== null && seq <= row.lastChunk);
  if (!open) return { status: 409, reason: 'not-live' };
  // Already packaged (and dropped from Redis): a late retry of it.
  if (seq < row.packagedChunks) return { status: 200 };
  const added = await storeChunk(getServices().redis, broadcastId, seq, body);
  return { status: added ? 201 : 200 };
}

/** Signed playlist URLs of the broadcast on air, for its session's teacher and scheduled classrooms. */
export function livePlaylists(b: Pick<LiveBroadcast, 'id' | 'withVideo'>): { audio: string; video: string | null } {
  const base = signedLiveBase(b.id);
  return { audio: `${base}audio/index.m3u8`, video: liveRungs(b.withVideo).includes('240p') ? `${base}240p/index.m3u8` : null };
}

/** The teacher's view of their latest broadcast: on air, stopping, or its recording's progress. */
export async function latestBroadcastForTeacher(sessionId: string) {
  const { db } = getServices();
  const [row] = await db
    .select({ id: liveBroadcasts.id, status: liveBroadcasts.status, withVideo: liveBroadcasts.withVideo, recordingLessonId: liveBroadcasts.recordingLessonId, videoStatus: videos.status, failure: liveBroadcasts.failure })
    .from(liveBroadcasts)
    .leftJoin(videos, eq(videos.id, liveBroadcasts.recordingVideoId))
    .where(eq(liveBroadcasts.sessionId, sessionId))
    .orderBy(desc(liveBroadcasts.startedAt))
    .limit(1);
  return row ?? null;
}
