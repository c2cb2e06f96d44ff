// Shared plumbing for the project-local identity providers: ports, folders, child
// processes whose output is kept in a log file, and clean stops.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Everything the identity providers write lives under here (git-ignored). */
export const idpDataRoot = path.join(process.env.EDU_DATA_DIR ?? path.join(projectRoot, '.data'), 'idp');

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

/**
 * The folder of one server: `.data/idp/<kind>-<name>` (generated configuration, keys,
 * sessions, logs). Named folders (the demo's) are kept; the ones named after a port (test
 * runs) are kept for a day so that a failure's logs can be read, then removed.
 */
export async function runFolder(kind: string, name: string): Promise<string> {
  await mkdir(idpDataRoot, { recursive: true });
  const dayAgo = Date.now() - 24 * 3600 * 1000;
  for (const entry of await readdir(idpDataRoot)) {
    if (!/^[a-z]+-\d+$/.test(entry)) continue;
    const full = path.join(idpDataRoot, entry);
    const info = await stat(full).catch(() => null);
    if (info && info.mtimeMs < dayAgo) await rm(full, { recursive: true, force: true });
  }
  const dir = path.join(idpDataRoot, `${kind}-${name}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

export type Child = {
  child: ChildProcess;
  logFile: string;
  /** The log so far (for error messages when a server does not come up). */
  log(): Promise<string>;
  /** Settles when the process has ended (by stop() or by itself). */
  exited: Promise<void>;
  stop(): Promise<void>;
};

const running = new Set<ChildProcess>();

/** Signals the child's whole process group (php -S and Plack fork workers). */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // The group is gone already.
  }
}
let exitHookInstalled = false;
function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Whatever way the parent ends, its identity providers end with it.
  process.on('exit', () => {
    for (const c of running) killGroup(c, 'SIGTERM');
  });
}

/** Starts a program in its own process group with stdout and stderr appended to `logFile`. */
export function spawnLogged(cmd: string, args: string[], opts: { env?: Record<string, string>; cwd?: string; logFile: string }): Child {
  installExitHook();
  const out = createWriteStream(opts.logFile, { flags: 'a' });
  const child = spawn(cmd, args, {
    cwd: opts.cwd ?? projectRoot,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...opts.env } as unknown as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Kept in `running` until stop(): workers of a leader that ended by itself still go at exit.
  return {
    child,
    logFile: opts.logFile,
    log: () => readFile(opts.logFile, 'utf8').catch(() => ''),
    exited,
    async stop() {
      // The group even when its leader has ended: its workers may outlive it.
      killGroup(child, 'SIGTERM');
      running.delete(child);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Polls `url` until it answers 200 with `expect` in its body; gives up at once when the
 * child dies or a body matches `fatal` (a server that reports it cannot start), else after
 * `timeoutMs`. The error carries the end of the server's log.
 */
export async function waitForHttp(url: string, child: Child, what: string, expect: string, timeoutMs = 30_000, fatal?: RegExp): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (child.child.exitCode !== null || child.child.signalCode !== null) {
      throw new Error(`${what} exited before it was ready; its log (${child.logFile}):\n${(await child.log()).slice(-4000)}`);
    }
    try {
      const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(5000) });
      const body = await res.text();
      if (res.status === 200 && body.includes(expect)) return;
      last = `HTTP ${res.status}: ${body.slice(0, 300)}`;
      if (fatal?.test(body)) break;
    } catch (error) {
      last = String(error);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await child.stop();
  throw new Error(`${what} did not start at ${url} (last answer: ${last}); the start of its log (${child.logFile}):\n${(await child.log()).slice(0, 6000)}`);
}

/** Checks that each program exists, naming the script that installs them when one does not. */
export async function requirePrograms(programs: Record<string, string>): Promise<void> {
  const { access, constants } = await import('node:fs/promises');
  const missing: string[] = [];
  for (const [file, pkg] of Object.entries(programs)) {
    try {
      await access(file, constants.R_OK);
    } catch {
      missing.push(`${file} (Debian package ${pkg})`);
    }
  }
  if (missing.length > 0) {
    throw new Error(`missing: ${missing.join(', ')}. Run: bash scripts/install-system-deps.sh --for-tests`);
  }
}
