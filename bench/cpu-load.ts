import { readFileSync } from 'node:fs';

/**
 * Wall time of one benchmark phase plus who else used the CPU meanwhile. On a 2-core
 * machine shared with test runs, another process taking a core halves our speed; the
 * figures are only comparable when `othersCores` is near zero.
 */
export interface PhaseTiming {
  wallSeconds: number;
  /** CPU time of this process and the ffmpeg children it waited for. */
  cpuSeconds: number;
  /** Average number of cores other processes kept busy during the phase. */
  othersCores: number;
}

// Linux reports /proc times in USER_HZ, which is 100 on every architecture Node supports.
const USER_HZ = 100;

export async function timePhase<T>(run: () => Promise<T>): Promise<{ result: T; timing: PhaseTiming }> {
  const before = sample();
  const result = await run();
  const after = sample();
  const wallSeconds = (after.wallMs - before.wallMs) / 1000;
  const cpuSeconds = after.ownSeconds - before.ownSeconds;
  const othersSeconds = Math.max(0, after.busySeconds - before.busySeconds - cpuSeconds);
  return {
    result,
    timing: { wallSeconds: round(wallSeconds, 2), cpuSeconds: round(cpuSeconds, 1), othersCores: round(othersSeconds / wallSeconds, 2) },
  };
}

function sample() {
  const self = process.cpuUsage();
  return {
    wallMs: performance.now(),
    busySeconds: machineBusySeconds(),
    ownSeconds: (self.user + self.system) / 1e6 + childrenSeconds(),
  };
}

/** All non-idle CPU time since boot, every core and every process. */
export function machineBusySeconds(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return (user + nice + system + irq + softirq + steal) / USER_HZ;
}

/** cutime + cstime: CPU of children that have exited and been waited for (ffmpeg runs). */
function childrenSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  // The command name (field 2) may contain spaces; fields after its closing parenthesis are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / USER_HZ;
}

export function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
