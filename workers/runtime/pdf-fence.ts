import { spawnSync } from 'node:child_process';
import type { Fence } from '../../media/pdf-pages.js';

const works = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore', timeout: 5_000 }).status === 0;

/**
 * Which fences this machine offers poppler: prlimit and setpriv come with util-linux;
 * `unshare -rn` needs unprivileged user namespaces, which some kernels switch off (the
 * worker then logs that the renderer has the network, see decision 023).
 */
export function detectPdfFence(): Fence {
  return { prlimit: works('prlimit', ['--version']), unshareNet: works('unshare', ['--map-root-user', '--net', '--', 'true']), pdeathsig: works('setpriv', ['--version']) };
}
