import { data, type LoaderFunctionArgs } from '@remix-run/node';
import { z } from 'zod';
import { englishAchievement } from '../features/credits/credential-document.js';
import { getCredential } from '../features/credits/credentials.server.js';
import { publicJson } from '../features/credits/cors.js';

/** The achievement a credential awards, in Chinese or (`?lang=en`) its English edition, which `related` names. */
export async function loader({ params, request }: LoaderFunctionArgs) {
  const id = z.string().uuid().safeParse(params.credentialId);
  const found = id.success ? await getCredential(id.data) : null;
  const document = found?.credential.document;
  if (!document) throw data({ reason: 'not-found' as const }, { status: 404 });
  const achievement = (document.credentialSubject as { achievement: Record<string, unknown> }).achievement;
  const english = new URL(request.url).searchParams.get('lang') === 'en';
  const nameEn = (document.description as string | undefined)?.split('. ')[0];
  if (english && !achievement.related) throw data({ reason: 'not-found' as const }, { status: 404 });
  return publicJson(english ? englishAchievement(document, nameEn ?? String(achievement.name)) : { '@context': document['@context'], ...achievement });
}
