import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useRevalidator } from '@remix-run/react';
import { useEffect } from 'react';
import { z } from 'zod';
import type { VideoFailure } from '../../db/schema/videos.js';
import { CsrfInput } from '../components/CsrfInput.js';
import { IntentButton } from '../components/IntentButton.js';
import { parseForm } from '../features/forms.server.js';
import { formatDateTime, useLocale, useT, type MessageKey, type Translate } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { requireLessonTeacher } from '../features/studio/lesson-access.server.js';
import { UploadPanel } from '../features/studio/UploadPanel.js';
import { StudioLessonNav } from '../features/studio/StudioLessonNav.js';
import { cancelVideo, listLessonVideos } from '../features/studio/videos.server.js';
import { attachCaptions, CAPTION_SOURCE_STATUSES, copyCaptions, pendingCaptions } from '../features/studio/captions.server.js';
import { captionLanguages, MAX_CAPTION_BYTES } from '../features/studio/captions.js';

export const handle = { hydrate: true };
export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'studio.upload.title');

const cancelSchema = z.object({ intent: z.literal('cancel'), videoId: z.string().uuid() });
const captionsSchema = z.object({
  intent: z.literal('captions'),
  videoId: z.string().uuid(),
  language: z.enum(captionLanguages),
  file: z.instanceof(File, { message: 'errors.required' }).refine((f) => f.size <= MAX_CAPTION_BYTES, 'studio.captions.tooBig'),
});
const copyCaptionsSchema = z.object({ intent: z.literal('copy-captions'), videoId: z.string().uuid(), fromVideoId: z.string().uuid() });
const studioActionSchema = z.discriminatedUnion('intent', [cancelSchema, captionsSchema, copyCaptionsSchema]);

type StudioActionResult =
  | { intent: 'cancel'; ok: boolean }
  | { intent: 'captions'; ok: true; cues: number; pending: boolean }
  | { intent: 'captions'; ok: false; problem?: { line: number; reason: string }; error?: MessageKey }
  | { intent: 'copy-captions'; ok: true; languages: string[]; pending: boolean }
  | { intent: 'copy-captions'; ok: false };

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { lesson } = await requireLessonTeacher(request, context, params.lessonId);
  const listed = await listLessonVideos(lesson.id);
  // The latest earlier video with captions, offered to a newer one that has none yet.
  const captionSourceOf = (v: (typeof listed)[number]) => {
    const earlier = listed.find((e) => e.createdAt < v.createdAt && (CAPTION_SOURCE_STATUSES as readonly string[]).includes(e.status) && e.captions.length > 0);
    return earlier ? { videoId: earlier.id, languages: earlier.captions.map((c) => c.language) } : null;
  };
  const videos = await Promise.all(
    listed.map(async (v) => ({ ...v, pendingCaptions: inTheWorks.includes(v.status) ? await pendingCaptions(v.id) : [], captionSource: captionSourceOf(v) })),
  );
  return { lesson, videos };
}

const inTheWorks: readonly string[] = ['queued', 'probing', 'processing'];

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { lesson } = await requireLessonTeacher(request, context, params.lessonId);
  const { submission } = await parseForm(request, studioActionSchema);
  if (submission.status !== 'success') {
    const tooBig = JSON.stringify(submission.error ?? {}).includes('studio.captions.tooBig');
    return data<StudioActionResult>({ intent: 'captions', ok: false, error: tooBig ? 'studio.captions.tooBig' : 'errors.formInvalid' }, { status: tooBig ? 413 : 400 });
  }
  const v = submission.value;
  if (v.intent === 'cancel') {
    const cancelled = await cancelVideo(lesson.id, v.videoId);
    return data<StudioActionResult>({ intent: 'cancel', ok: cancelled }, { status: cancelled ? 200 : 409 });
  }
  if (v.intent === 'copy-captions') {
    const copied = await copyCaptions(lesson.id, v.videoId, v.fromVideoId);
    if (copied.kind === 'no-video') throw data({ reason: 'not-found' as const }, { status: 404 });
    if (copied.kind === 'no-source') return data<StudioActionResult>({ intent: 'copy-captions', ok: false }, { status: 409 });
    return data<StudioActionResult>({ intent: 'copy-captions', ok: true, languages: copied.languages, pending: copied.pending });
  }
  const outcome = await attachCaptions(lesson.id, v.videoId, v.language, await v.file.text());
  if (outcome.kind === 'no-video') throw data({ reason: 'not-found' as const }, { status: 404 });
  if (outcome.kind === 'bad-file') return data<StudioActionResult>({ intent: 'captions', ok: false, problem: outcome.problem }, { status: 422 });
  return data<StudioActionResult>({ intent: 'captions', ok: true, cues: outcome.cues, pending: outcome.pending });
}

/** Caption languages as a list in the page's language ("Chinese and English"). */
function languageList(t: Translate, locale: string, list: readonly string[]): string {
  return new Intl.ListFormat(locale).format(list.map((l) => t(`language.${l}` as MessageKey)));
}

function CaptionsForm({ videoId, have, pending, source }: { videoId: string; have: string[]; pending: string[]; source: { videoId: string; languages: string[] } | null }) {
  const t = useT();
  const locale = useLocale();
  const languages = (list: string[]) => languageList(t, locale, list);
  return (
    <details>
      <summary>{t('studio.captions.title')}</summary>
      {have.length ? <p>{t('studio.captions.have', { languages: languages(have) })}</p> : null}
      {pending.length ? <p>{t('studio.captions.pending', { languages: languages(pending) })}</p> : null}
      {source && have.length === 0 && pending.length === 0 ? (
        <Form method="post" className="row-form">
          <CsrfInput />
          <input type="hidden" name="intent" value="copy-captions" />
          <input type="hidden" name="videoId" value={videoId} />
          <input type="hidden" name="fromVideoId" value={source.videoId} />
          <button type="submit" className="button secondary">
            {t('studio.captions.copyFrom', { languages: languages(source.languages) })}
          </button>
          <span className="hint">{t('studio.captions.copyHint')}</span>
        </Form>
      ) : null}
      <p className="hint">{t('studio.captions.hint')}</p>
      <Form method="post" encType="multipart/form-data" className="row-form">
        <CsrfInput />
        <input type="hidden" name="intent" value="captions" />
        <input type="hidden" name="videoId" value={videoId} />
        <div className="field">
          <label htmlFor={`cap-lang-${videoId}`}>{t('studio.captions.language')}</label>
          <select id={`cap-lang-${videoId}`} name="language">
            {captionLanguages.map((l) => (
              <option key={l} value={l}>
                {t(`language.${l}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`cap-file-${videoId}`}>{t('studio.captions.file')}</label>
          <input id={`cap-file-${videoId}`} name="file" type="file" accept=".vtt,.srt,text/vtt" required />
        </div>
        <button type="submit" className="button secondary">
          {t('studio.captions.submit')}
        </button>
      </Form>
    </details>
  );
}

export function failureText(t: Translate, f: VideoFailure): string {
  return t(`video.failure.${f.code}` as MessageKey, f.params);
}

/** Revalidates the page when the worker reports progress (at most once a second). */
function useLiveVideoStatus(lessonId: string) {
  const { revalidate } = useRevalidator();
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const source = new EventSource(`/studio/lessons/${lessonId}/events`);
    source.onmessage = () => {
      timer ??= setTimeout(() => {
        timer = null;
        revalidate();
      }, 1_000);
    };
    return () => {
      source.close();
      if (timer) clearTimeout(timer);
    };
  }, [lessonId, revalidate]);
}

export default function StudioLesson() {
  const { lesson, videos } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  const { revalidate } = useRevalidator();
  useLiveVideoStatus(lesson.id);
  const title = (zh: string, en: string | null) => (locale === 'en' && en ? en : zh);
  return (
    <section aria-labelledby="studio-title">
      <StudioLessonNav lessonId={lesson.id} courseId={lesson.courseId} current="" draft={lesson.draft} />
      <h1 id="studio-title">{t('studio.title', { lesson: title(lesson.titleZh, lesson.titleEn) })}</h1>
      <p className="muted">{t('studio.course', { course: title(lesson.courseTitleZh, lesson.courseTitleEn) })}</p>
      <p>
        <a href={`/studio/lessons/${lesson.id}/quiz`}>{t('quizBuilder.link')}</a>
      </p>
      <noscript>
        <p className="notice warn">{t('studio.upload.needsJs')}</p>
      </noscript>
      <UploadPanel lessonId={lesson.id} onUploaded={revalidate} />
      <h2>{t('studio.videos.title')}</h2>
      {actionData?.intent === 'cancel' && actionData.ok ? <p className="notice ok" role="status">{t('studio.videos.cancelled')}</p> : null}
      {actionData?.intent === 'captions' ? (
        actionData.ok ? (
          <p className="notice ok" role="status">{t(actionData.pending ? 'studio.captions.savedPending' : 'studio.captions.saved', { cues: actionData.cues })}</p>
        ) : (
          <p className="notice warn" role="alert">
            {actionData.problem ? t('studio.captions.badLine', { line: actionData.problem.line, reason: actionData.problem.reason }) : t(actionData.error ?? 'errors.formInvalid')}
          </p>
        )
      ) : null}
      {actionData?.intent === 'copy-captions' ? (
        actionData.ok ? (
          <p className="notice ok" role="status">
            {t(actionData.pending ? 'studio.captions.copiedPending' : 'studio.captions.copied', { languages: languageList(t, locale, actionData.languages) })}
          </p>
        ) : (
          <p className="notice warn" role="alert">
            {t('studio.captions.copyGone')}
          </p>
        )
      ) : null}
      {videos.length === 0 ? <p>{t('studio.videos.none')}</p> : null}
      <ul className="video-list" aria-live="polite">
        {videos.map((v) => (
          <li key={v.id} className="panel" data-video-status={v.status}>
            <strong>{v.originalFilename ?? v.id}</strong> · {formatDateTime(locale, v.createdAt)}
            <p>
              {t(`video.status.${v.status}` as MessageKey, { percent: Math.round(v.progressPercent) })}
              {v.status === 'processing' ? <progress max={100} value={v.progressPercent} aria-label={t('video.status.processing', { percent: Math.round(v.progressPercent) })} /> : null}
            </p>
            {v.failures.map((f) => (
              <p key={f.code} className="notice warn" role="alert">
                {failureText(t, f)}
              </p>
            ))}
            {v.status === 'ready' && v.filesMissingSince ? (
              <p className="notice warn" role="alert">
                {t('studio.videos.filesMissing', { count: v.filesMissingCount, since: formatDateTime(locale, v.filesMissingSince) })}
              </p>
            ) : null}
            {v.status === 'processing' && v.published ? (
              <p className="notice ok" role="status">
                {t('studio.videos.playableEarly')} <a href={`/lessons/${lesson.id}`}>{t('studio.videos.watch')}</a>
              </p>
            ) : null}
            {v.status === 'ready' ? (
              <p>
                {t('video.rungs', { rungs: v.renditions.map((r) => r.name).join(' / ') })} · <a href={`/lessons/${lesson.id}`}>{t('studio.videos.watch')}</a>
              </p>
            ) : null}
            {v.status === 'ready' || inTheWorks.includes(v.status) ? <CaptionsForm videoId={v.id} have={v.captions.map((c) => c.language)} pending={v.pendingCaptions} source={v.captionSource} /> : null}
            {['queued', 'probing', 'processing', 'ready'].includes(v.status) ? (
              <IntentButton intent="cancel" fields={{ videoId: v.id }} label={t('studio.videos.cancel')} />
            ) : null}
          </li>
        ))}
      </ul>
      <p>
        <a href={`/studio/lessons/${lesson.id}`}>{t('studio.videos.refresh')}</a>
      </p>
    </section>
  );
}
