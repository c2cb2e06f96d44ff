import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer, type Socket } from 'node:net';
import path from 'node:path';
import { projectRoot } from './env.js';

export const tsx = path.join(projectRoot, 'node_modules/.bin/tsx');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export type Running = { child: ChildProcess; output: () => string; exited: Promise<number | null> };

/** Runs a TypeScript entry point in one node process (no tsx wrapper), so a signal reaches it directly. */
export function startProcess(entry: string, env: Record<string, string | undefined>): Running {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: projectRoot, env: { ...process.env, ...env } as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/** Runs a command to completion and returns its exit code and combined output. */
export function run(cmd: string, args: string[], env: Record<string, string | undefined> = {}, timeoutMs = 120_000): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: projectRoot, env: { ...process.env, ...env } as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export type CuttingProxy = { url: string; cut: Promise<void>; close(): Promise<void> };

/**
 * A TCP proxy in front of `port` that passes `cutAfterBytes` bytes from clients and then
 * drops every connection, as a school's link does mid-upload; later connections are refused.
 */
export async function cuttingProxy(port: number, cutAfterBytes: number): Promise<CuttingProxy> {
  let passed = 0;
  let markCut: () => void = () => {};
  const cut = new Promise<void>((resolve) => (markCut = resolve));
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    if (passed >= cutAfterBytes) return client.destroy();
    const upstream = connect(port, '127.0.0.1');
    sockets.add(client).add(upstream);
    upstream.pipe(client);
    client.on('data', (chunk: Buffer) => {
      const room = cutAfterBytes - passed;
      if (room > chunk.length) {
        passed += chunk.length;
        upstream.write(chunk);
        return;
      }
      passed = cutAfterBytes;
      // The server gets the bytes up to the cut, then the connection ends under it.
      upstream.end(chunk.subarray(0, room), () => upstream.destroy());
      for (const s of sockets) if (s !== upstream) s.destroy();
      markCut();
    });
    client.on('error', () => {}).on('close', () => upstream.end());
    upstream.on('error', () => {}).on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: own } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${own}`, cut, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * Holds still (SIGSTOP) every process whose command line matches `pattern` (pgrep -f), so a
 * test can look at a moment a fast machine would otherwise race past; `resume` lets them go
 * on (SIGCONT). No pids when nothing matched.
 */
export async function freezeProcesses(pattern: string): Promise<{ pids: number[]; resume: () => void }> {
  const { output } = await run('pgrep', ['-f', pattern]);
  const pids = output.split('\n').filter(Boolean).map(Number).filter((pid) => pid !== process.pid);
  const signal = (name: NodeJS.Signals) => {
    for (const pid of pids) {
      try {
        process.kill(pid, name);
      } catch {
        // It has already exited.
      }
    }
  };
  signal('SIGSTOP');
  return { pids, resume: () => signal('SIGCONT') };
}
