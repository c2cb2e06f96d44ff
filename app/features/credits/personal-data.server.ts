import { asc, eq } from 'drizzle-orm';
import { completionRecords, creditRequests, issuedCredentials } from '../../../db/schema/index.js';
import { getServices } from '../../services.server.js';

/** The person's credit requests and credentials, for their personal-data download. */
export async function creditDataForExport(userId: string) {
  const { db } = getServices();
  const requests = await db
    .select({
      id: creditRequests.id,
      course: completionRecords.courseTitleZh,
      status: creditRequests.status,
      targetKind: creditRequests.targetKind,
      targetCode: creditRequests.targetCode,
      note: creditRequests.note,
      awardedCredits: creditRequests.awardedCredits,
      convertedLabel: creditRequests.convertedLabel,
      decisionReason: creditRequests.decisionReason,
      appealReason: creditRequests.appealReason,
      submittedAt: creditRequests.submittedAt,
    })
    .from(creditRequests)
    .innerJoin(completionRecords, eq(completionRecords.id, creditRequests.completionRecordId))
    .where(eq(creditRequests.userId, userId))
    .orderBy(asc(creditRequests.submittedAt));
  const credentials = await db
    .select({ id: issuedCredentials.id, kind: issuedCredentials.kind, issuedAt: issuedCredentials.issuedAt, revokedAt: issuedCredentials.revokedAt, jwt: issuedCredentials.jwt, document: issuedCredentials.document })
    .from(issuedCredentials)
    .where(eq(issuedCredentials.userId, userId));
  return { creditRequests: requests, credentials };
}
