import { eq } from 'drizzle-orm';
import { users } from '../../../db/schema/index.js';
import { getServices } from '../../services.server.js';

export async function isEmailVerified(userId: string): Promise<boolean> {
  const [row] = await getServices().db.select({ at: users.emailVerifiedAt }).from(users).where(eq(users.id, userId));
  return Boolean(row?.at);
}
