import { runFfmpegTool } from './ffmpeg-safety.js';

const filterLists = new Map<string, Promise<string>>();

/**
 * Optional filters differ between ffmpeg builds: drawtext needs libfreetype and zscale
 * needs libzimg, which minimal builds leave out. The list is read once per binary.
 */
export async function hasFilter(ffmpegBin: string, filter: string): Promise<boolean> {
  let list = filterLists.get(ffmpegBin);
  if (!list) {
    list = runFfmpegTool({ bin: ffmpegBin, args: ['-hide_banner', '-filters'], timeoutMs: 10_000 }).then((r) => r.stdout);
    list.catch(() => filterLists.delete(ffmpegBin));
    filterLists.set(ffmpegBin, list);
  }
  return new RegExp(`^\\s*\\S+\\s+${filter}\\s`, 'm').test(await list);
}
