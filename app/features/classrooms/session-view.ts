import type { PlaybackState } from './playback-state.js';
import type { AttendanceMode, SessionStatus } from '../../../db/schema/classrooms.js';
import type { DeckView } from '../../../db/slide-deck-view.js';

export type { DeckView };

export type PollView = { id: string; question: string; options: string[]; tallies: number[]; classroomsAnswered: number; closed: boolean; mine: number[] | null };
export type QuestionView = { id: string; classroomId: string; body: string; answered: boolean; askedAt: string };
export type ConnectionView = { classroomId: string; rttMs: number | null; bufferSeconds: number | null; rung: string | null; driftMs: number | null; buffering: boolean; lastSeenAt: string | null };
/** The teacher's live voice/camera on air (decision 021); screens fetch its signed playlists. */
export type LiveView = { broadcastId: string; withVideo: boolean };
export type AttendanceView = { classroomId: string; headcount: number; mode: AttendanceMode; presentPupilIds: string[] };

export type SessionSnapshot = {
  status: SessionStatus;
  state: PlaybackState;
  slides: string[];
  /** PDF slide pages when the session has a ready deck (they replace the text lines). */
  deck: DeckView | null;
  /** The teacher's newer deck still rendering or refused (screens: always null). */
  upload: DeckView | null;
  waitForBuffering: boolean;
  poll: PollView | null;
  questions: QuestionView[];
  hands: string[];
  attendance: AttendanceView[];
  connections: ConnectionView[];
  live: LiveView | null;
};

/** What a page shows: the snapshot, plus the state before the latest change (until its instant). */
export type SessionView = SessionSnapshot & { previous: PlaybackState | null; seq: number };

const upsert = <T extends { [k in K]: string }, K extends keyof T>(list: T[], item: T, key: K) => {
  const i = list.findIndex((x) => x[key] === item[key]);
  return i < 0 ? [...list, item] : list.map((x, j) => (j === i ? item : x));
};

/** Applies one message from the stream; unknown kinds change nothing. */
export function applySessionMessage(view: SessionView, kind: string, payload: Record<string, unknown>, seq: number | null): SessionView {
  const withSeq = seq !== null ? { ...view, seq } : view;
  // A command that starts a scheduled session says so in its payload.
  const next = typeof payload.status === 'string' && kind !== 'snapshot' ? { ...withSeq, status: payload.status as SessionStatus } : withSeq;
  switch (kind) {
    case 'snapshot':
      return { ...(payload as SessionSnapshot), previous: null, seq: seq ?? view.seq };
    case 'playback':
      return { ...next, previous: view.state, state: payload.state as PlaybackState };
    case 'session':
      return { ...next, status: payload.status as SessionStatus, ...(payload.waitForBuffering !== undefined ? { waitForBuffering: payload.waitForBuffering as boolean } : {}) };
    case 'poll': {
      const poll = payload.poll as PollView;
      return { ...next, poll: { ...poll, mine: view.poll?.id === poll.id ? view.poll.mine : poll.mine } };
    }
    case 'question':
      return { ...next, questions: upsert(view.questions, payload.question as QuestionView, 'id') };
    case 'hand': {
      const { classroomId, raised } = payload as { classroomId: string; raised: boolean };
      return { ...next, hands: raised ? [...new Set([...view.hands, classroomId])] : view.hands.filter((h) => h !== classroomId) };
    }
    case 'attendance':
      return { ...next, attendance: upsert(view.attendance, payload.attendance as AttendanceView, 'classroomId') };
    case 'live':
      return { ...next, live: (payload.live as LiveView | null) ?? null };
    case 'deck':
      return { ...next, ...('deck' in payload ? { deck: payload.deck as DeckView | null } : {}), ...('upload' in payload ? { upload: payload.upload as DeckView | null } : {}) };
    case 'connection':
      return { ...next, connections: upsert(view.connections, payload.connection as ConnectionView, 'classroomId') };
    default:
      return next;
  }
}

/** How many slides the console steps through: the deck's pages, else the text lines. */
export function slideCount(view: Pick<SessionSnapshot, 'deck' | 'slides'>): number {
  return view.deck?.pageCount ?? view.slides.length;
}
