// Loopback load with autocannon: N connections cycling through a page's paths.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { machineBusySeconds, round } from '../cpu-load.js';

export type LoadFigures = {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** CPU the serving process spent per request: what throughput a quiet machine would allow. */
  serverCpuMsPerRequest: number;
  /** Cores busy with anything but the serving process and this one (PostgreSQL included). */
  otherCores: number;
};

/** utime + stime of a process, seconds (USER_HZ is 100 on Linux). */
function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export async function loadTest(baseUrl: string, paths: string[], { connections, seconds, serverPid }: { connections: number; seconds: number; serverPid: number }): Promise<LoadFigures> {
  const before = { server: processCpuSeconds(serverPid), own: process.cpuUsage(), busy: machineBusySeconds(), wall: performance.now() };
  const result = await autocannon({
    url: baseUrl,
    connections,
    duration: seconds,
    timeout: 30,
    headers: { 'accept-encoding': 'gzip' },
    requests: paths.map((path) => ({ method: 'GET', path })),
  });
  const serverCpu = processCpuSeconds(serverPid) - before.server;
  const own = process.cpuUsage(before.own);
  const wall = (performance.now() - before.wall) / 1000;
  const others = machineBusySeconds() - before.busy - serverCpu - (own.user + own.system) / 1e6;
  return {
    serverCpuMsPerRequest: result.requests.total ? round((serverCpu * 1000) / result.requests.total, 2) : 0,
    otherCores: round(Math.max(0, others) / wall, 2),
    requestsPerSecond: Math.round(result.requests.average * 10) / 10,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}
