import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { requireSessionMember, requireSessionTeacher } from '../features/classrooms/access.server.js';
import { broadcastOnAir, latestBroadcastForTeacher, livePlaylists, startBroadcast, stopBroadcast } from '../features/classrooms/live-broadcast.server.js';
import { liveCommandSchema, type LiveStatus } from '../features/classrooms/live-commands.js';
import { parseForm } from '../features/forms.server.js';

/** The broadcast on air with its signed playlists: the session's teacher and scheduled classrooms only. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { s, role } = await requireSessionMember(request, context, params.sessionId);
  const onAir = await broadcastOnAir(s.session.id);
  const latest = role.kind === 'teacher' ? await latestBroadcastForTeacher(s.session.id) : null;
  const body: LiveStatus = {
    live: onAir ? { broadcastId: onAir.id, withVideo: onAir.withVideo, playlists: livePlaylists(onAir) } : null,
    latest: latest ? { id: latest.id, status: latest.status, recordingLessonId: latest.recordingLessonId, videoStatus: latest.videoStatus } : null,
  };
  return Response.json(body, { headers: { 'Cache-Control': 'private, no-store' } });
}

/** The teacher goes on air or off it. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const { s, user } = await requireSessionTeacher(request, context, params.sessionId);
  const { submission } = await parseForm(request, liveCommandSchema);
  if (submission.status !== 'success') return Response.json({ ok: false, reason: 'errors.formInvalid' }, { status: 400 });
  const command = submission.value;
  const outcome =
    command.intent === 'live-start'
      ? await startBroadcast(s.session.id, user.id, command.camera)
      : await stopBroadcast(s.session.id, command.broadcastId, command.lastChunk !== undefined && command.lastChunk >= 0 ? command.lastChunk : null);
  return outcome.ok ? Response.json(outcome) : Response.json(outcome, { status: outcome.status });
}
