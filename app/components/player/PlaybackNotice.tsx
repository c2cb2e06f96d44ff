import { useT } from '../../features/i18n/i18n.js';
import type { PlaybackProblem } from './keep-loading.js';

/** Under a player: why nothing plays, announced politely, with a button to try again. */
export function PlaybackNotice({ problem, onRetry }: { problem: PlaybackProblem | null; onRetry: () => void }) {
  const t = useT();
  return (
    <div role="status" aria-live="polite">
      {problem ? (
        <p className={problem === 'retrying' ? 'notice' : 'notice warn'}>
          {t(`lesson.video.${problem}`)}{' '}
          <button type="button" onClick={onRetry}>
            {t(problem === 'retrying' ? 'lesson.video.retryNow' : 'lesson.video.retry')}
          </button>
        </p>
      ) : null}
    </div>
  );
}
