import { readFileSync } from 'node:fs';

/**
 * Samples a process's resident memory (VmRSS in /proc/<pid>/status) while a phase runs.
 * Child processes (ffmpeg) have their own /proc entries, so they are not counted: this is
 * the worker-side Node code's memory, which issue 3 caps at 300 MB.
 */
export function sampleRss(pid: number = process.pid, everyMs = 100) {
  // 0 once the process has gone (the peak so far stands).
  const readMb = () => {
    let status = '';
    try {
      status = readFileSync(`/proc/${pid}/status`, 'utf8');
    } catch {
      return 0;
    }
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : 0;
  };
  const startMb = readMb();
  let peakMb = startMb;
  let total = 0;
  let count = 0;
  const timer = setInterval(() => {
    const mb = readMb();
    peakMb = Math.max(peakMb, mb);
    total += mb;
    count++;
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      const round = (mb: number) => Math.round(mb * 10) / 10;
      return { startMb: round(startMb), peakMb: round(peakMb), meanMb: round(count ? total / count : startMb), samples: count };
    },
  };
}
