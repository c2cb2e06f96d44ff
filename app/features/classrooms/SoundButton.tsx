import type { RefObject } from 'react';
import { useT } from '../i18n/i18n.js';

/** Browsers start video muted without a click: one press turns the sound on. */
export function SoundButton({ video, onSound }: { video: RefObject<HTMLVideoElement>; onSound: () => void }) {
  const t = useT();
  return (
    <button
      type="button"
      className="button"
      onClick={() => {
        if (video.current) video.current.muted = false;
        onSound();
      }}
    >
      {t('classroom.sound')}
    </button>
  );
}
