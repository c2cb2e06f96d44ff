import { describe, expect, it } from 'vitest';
import { applySessionMessage, slideCount, type DeckView, type SessionView } from './session-view.js';
import { initialPlaybackState } from './playback-state.js';

const empty: SessionView = { status: 'scheduled', state: initialPlaybackState, previous: null, seq: 0, slides: ['a', 'b'], deck: null, upload: null, waitForBuffering: false, poll: null, questions: [], hands: [], attendance: [], connections: [], live: null };

describe('a screen’s view of the session, message by message', () => {
  it('keeps the previous playback state until the new one’s instant, and follows seq and status', () => {
    const playing = { ...initialPlaybackState, playing: true, anchorAt: 5_000 };
    const v = applySessionMessage(empty, 'playback', { state: playing, status: 'live' }, 1);
    expect(v.state).toEqual(playing);
    expect(v.previous).toEqual(initialPlaybackState);
    expect([v.seq, v.status]).toEqual([1, 'live']);
  });

  it('updates a question in place, raises and lowers hands, and keeps this classroom’s own poll answer', () => {
    const q = { id: 'q1', classroomId: 'c1', body: '?', answered: false, askedAt: 'x' };
    let v = applySessionMessage(empty, 'question', { question: q }, 1);
    v = applySessionMessage(v, 'question', { question: { ...q, answered: true } }, 2);
    expect(v.questions).toEqual([{ ...q, answered: true }]);
    v = applySessionMessage(v, 'hand', { classroomId: 'c1', raised: true }, 3);
    expect(v.hands).toEqual(['c1']);
    v = applySessionMessage(v, 'hand', { classroomId: 'c1', raised: false }, 4);
    expect(v.hands).toEqual([]);
    const poll = { id: 'p1', question: 'q', options: ['a', 'b'], tallies: [0, 0], classroomsAnswered: 0, closed: false, mine: [3, 1] };
    v = { ...v, poll };
    v = applySessionMessage(v, 'poll', { poll: { ...poll, tallies: [9, 4], classroomsAnswered: 2, mine: null } }, 5);
    expect(v.poll).toMatchObject({ tallies: [9, 4], mine: [3, 1] });
  });

  it('a snapshot replaces everything; live-only messages leave seq alone', () => {
    const v = applySessionMessage(empty, 'connection', { connection: { classroomId: 'c1', rttMs: 80, bufferSeconds: 12, rung: '240p', driftMs: 30, buffering: false, lastSeenAt: null } }, null);
    expect(v.seq).toBe(0);
    expect(v.connections).toHaveLength(1);
    const snap = applySessionMessage(v, 'snapshot', { ...empty, status: 'ended', connections: [] }, 42);
    expect([snap.seq, snap.status, snap.connections.length]).toEqual([42, 'ended', 0]);
  });

  it('a rendering deck shows only as the teacher’s upload; once ready it replaces the text slides', () => {
    const rendering: DeckView = { id: 'd1', fileName: 'a.pdf', status: 'rendering', pageCount: 12, pagesDone: 3, pageBytes: [1, 2, 3], rejection: null };
    let v = applySessionMessage(empty, 'deck', { upload: rendering }, null);
    expect([v.upload?.pagesDone, v.deck, v.seq, slideCount(v)]).toEqual([3, null, 0, 2]);
    v = applySessionMessage(v, 'deck', { deck: { ...rendering, status: 'ready', pagesDone: 12 }, upload: null }, 7);
    expect([v.upload, v.deck?.status, v.seq, slideCount(v)]).toEqual([null, 'ready', 7, 12]);
    // A refused newer upload leaves the shown deck alone.
    v = applySessionMessage(v, 'deck', { upload: { ...rendering, id: 'd2', status: 'rejected', rejection: { code: 'too-many-pages', params: { max: 200, pages: 900 } } } }, 8);
    expect([v.deck?.id, v.upload?.status]).toEqual(['d1', 'rejected']);
  });
});

describe('the teacher’s live voice and camera in a screen’s view', () => {
  it('appears when the teacher goes on air and goes when they stop; a snapshot carries it', () => {
    const on = applySessionMessage(empty, 'live', { live: { broadcastId: 'b1', withVideo: true } }, 4);
    expect(on.live).toEqual({ broadcastId: 'b1', withVideo: true });
    expect(on.seq).toBe(4);
    expect(applySessionMessage(on, 'live', { live: null }, 5).live).toBeNull();
    const snap = applySessionMessage(empty, 'snapshot', { ...empty, live: { broadcastId: 'b2', withVideo: false } }, 9);
    expect(snap.live).toEqual({ broadcastId: 'b2', withVideo: false });
  });
});
