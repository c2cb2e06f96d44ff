import type { ActionFunctionArgs } from '@remix-run/node';
import { runSessionCommand } from '../features/classrooms/command-action.server.js';

/** The console's and screens' commands as JSON, for their scripts (the pages' own forms post to the pages). */
export async function action(args: ActionFunctionArgs) {
  const outcome = await runSessionCommand(args);
  return Response.json(outcome.body, { status: outcome.status });
}
