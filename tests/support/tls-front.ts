import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';

/**
 * A TLS terminator in front of a web process, as a reverse proxy is in production: did:web
 * resolves only over HTTPS, so an outside verifier can only reach our DID documents this way.
 * The certificate is self-signed for 127.0.0.1, made fresh with openssl.
 */
export async function tlsFront(port: number, upstreamPort: number): Promise<{ close(): Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'edu-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
  const server = tls.createServer({ key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem')) }, (socket) => {
    const upstream = net.connect(upstreamPort, '127.0.0.1');
    socket.pipe(upstream).pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  rmSync(dir, { recursive: true, force: true });
  return { close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
