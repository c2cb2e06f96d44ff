import type { ActionFunctionArgs } from '@remix-run/node';
import { getServices } from '../../services.server.js';
import { recordAccessDenied } from '../audit/audit.server.js';
import { parseForm } from '../forms.server.js';
import { requireSessionMember } from './access.server.js';
import { screenCommandSchema, teacherCommandSchema } from './commands.js';
import { runScreenCommand } from './screen-commands.server.js';
import { runTeacherCommand, type CommandOutcome } from './teacher-commands.server.js';

const teacherIntents = new Set(teacherCommandSchema.options.map((o) => o.shape.intent.value as string));

export type CommandResult = { status: number; body: { ok: boolean; reason?: string; seq?: number | null } };

function result(outcome: CommandOutcome): CommandResult {
  return outcome.ok ? { status: 200, body: { ok: true, seq: outcome.message?.seq ?? null } } : { status: outcome.status, body: { ok: false, reason: outcome.reason } };
}

/**
 * One action for both sides: the teacher's commands from the teacher, a classroom's from
 * one of its assistants (naming the classroom when they run several). Everyone else: 403, audited.
 */
export async function runSessionCommand({ request, context, params }: ActionFunctionArgs): Promise<CommandResult> {
  const { role, user } = await requireSessionMember(request, context, params.sessionId);
  if (role.kind === 'teacher') {
    const { submission } = await parseForm(request, teacherCommandSchema);
    if (submission.status !== 'success') return { status: 400, body: { ok: false, reason: 'errors.formInvalid' } };
    return result(await runTeacherCommand(params.sessionId!, submission.value));
  }
  const { submission, formData } = await parseForm(request, screenCommandSchema);
  // Only the teacher controls the session: a classroom trying a teacher's command is refused and audited.
  if (teacherIntents.has(String(formData.get('intent')))) {
    await recordAccessDenied(getServices().db, { userId: user.id, permission: 'classroom:teach', method: request.method, path: new URL(request.url).pathname, ip: context.clientIp, details: { sessionId: params.sessionId, intent: formData.get('intent') } });
    return { status: 403, body: { ok: false, reason: 'forbidden' } };
  }
  // An assistant running several of the session's classrooms names one; it must be theirs.
  const named = formData.get('classroom');
  const classroom = typeof named === 'string' && named ? role.classrooms.find((c) => c.id === named) : role.classrooms[0];
  if (!classroom) {
    await recordAccessDenied(getServices().db, { userId: user.id, permission: 'classroom:assist', method: request.method, path: new URL(request.url).pathname, ip: context.clientIp, details: { sessionId: params.sessionId, classroomId: named } });
    return { status: 403, body: { ok: false, reason: 'forbidden' } };
  }
  if (submission.status !== 'success') return { status: 400, body: { ok: false, reason: 'errors.formInvalid' } };
  return result(await runScreenCommand(params.sessionId!, { userId: user.id, classroomId: classroom.id }, submission.value));
}
