import { and, eq, isNull } from 'drizzle-orm';
import { users } from '../../../db/schema/index.js';
import { getServices } from '../../services.server.js';

/** Whether the invited address already has an account: the invitation page then asks to log in. */
export async function accountExists(email: string): Promise<boolean> {
  const [row] = await getServices().db.select({ id: users.id }).from(users).where(and(eq(users.email, email), isNull(users.erasedAt)));
  return Boolean(row);
}
