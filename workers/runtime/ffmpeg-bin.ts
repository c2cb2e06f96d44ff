import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The tethered ffmpeg wrapper where setpriv exists (Linux), else plain ffmpeg. */
export function tetheredFfmpegBin(): string {
  const hasSetpriv = spawnSync('setpriv', ['--version'], { stdio: 'ignore' }).status === 0;
  return hasSetpriv ? fileURLToPath(new URL('../bin/ffmpeg-tethered', import.meta.url)) : 'ffmpeg';
}
