// The demo identity providers `npm start` runs beside the site (through scripts/idp.sh):
// SimpleSAMLphp (SAML 2.0) and LemonLDAP::NG (CAS 3.0) on stable ports, with the demo
// people, registered for the site's service provider. Writes their URLs to
// .data/idp/demo.env and runs until SIGINT/SIGTERM, then stops both.
//
// Settings (environment; defaults from PUBLIC_URL or http://127.0.0.1:$PORT):
//   EDU_IDP_SAML_PORT, EDU_IDP_CAS_PORT   ports (default: the ones saved in .data/idp/demo-ports, else 8480 / 8481 or the next free)
//   EDU_DEMO_SP_ENTITY_ID                  the site's SAML entityID        (default <site>/sso/demo/saml/metadata)
//   EDU_DEMO_SP_ACS_URL                    its AssertionConsumerService    (default <site>/sso/demo/saml/acs)
//   EDU_DEMO_SP_METADATA_URL               its metadata URL, read when present (default: the entityID, when it is a URL)
//   EDU_DEMO_CAS_SERVICE_PREFIX            service URLs allowed to get CAS tickets (default <site>/sso/)
import { readFile, rename, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { idpDataRoot } from './common.js';
import { startCasServer } from './lemonldap.js';
import { startSamlIdp } from './simplesamlphp.js';

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

async function choosePort(wanted: number | undefined, saved: number | undefined, fallback: number, taken: number[]): Promise<number> {
  if (wanted) return wanted;
  if (saved && (await portIsFree(saved))) return saved;
  let p = fallback;
  while (taken.includes(p) || !(await portIsFree(p))) p++;
  return p;
}

async function main() {
  const site = (process.env.PUBLIC_URL ?? `http://127.0.0.1:${process.env.PORT ?? '3000'}`).replace(/\/+$/, '');
  const spEntityId = process.env.EDU_DEMO_SP_ENTITY_ID ?? `${site}/sso/demo/saml/metadata`;
  const acsUrl = process.env.EDU_DEMO_SP_ACS_URL ?? `${site}/sso/demo/saml/acs`;
  const spMetadataUrl = process.env.EDU_DEMO_SP_METADATA_URL ?? (/^https?:\/\//.test(spEntityId) ? spEntityId : undefined);
  const casPrefix = process.env.EDU_DEMO_CAS_SERVICE_PREFIX ?? `${site}/sso/`;

  const portsFile = path.join(idpDataRoot, 'demo-ports');
  const saved = Object.fromEntries(
    (await readFile(portsFile, 'utf8').catch(() => ''))
      .split('\n')
      .map((l) => l.split('='))
      .filter((kv) => kv.length === 2)
      .map(([k, v]) => [k, Number(v)]),
  ) as Record<string, number>;
  const samlPort = await choosePort(Number(process.env.EDU_IDP_SAML_PORT) || undefined, saved.SAML_PORT, 8480, []);
  const casPort = await choosePort(Number(process.env.EDU_IDP_CAS_PORT) || undefined, saved.CAS_PORT, 8481, [samlPort]);
  await writeFile(portsFile, `SAML_PORT=${samlPort}\nCAS_PORT=${casPort}\n`);

  const saml = await startSamlIdp({ spEntityId, acsUrl, spMetadataUrl, port: samlPort, name: 'demo' });
  const cas = await startCasServer({ serviceUrlPrefix: casPrefix, port: casPort, name: 'demo' }).catch(async (error: unknown) => {
    await saml.stop();
    throw error;
  });
  const env = {
    EDU_DEMO_SAML_ENTITY_ID: saml.entityId,
    EDU_DEMO_SAML_METADATA_URL: saml.metadataUrl,
    EDU_DEMO_SAML_SSO_URL: saml.ssoUrl,
    EDU_DEMO_CAS_BASE_URL: cas.casBaseUrl,
  };
  const envFile = path.join(idpDataRoot, 'demo.env');
  await writeFile(`${envFile}.tmp`, Object.entries(env).map(([k, v]) => `${k}=${v}\n`).join(''));
  await rename(`${envFile}.tmp`, envFile);
  console.log(`[idp] SAML 2.0 identity provider (SimpleSAMLphp): ${saml.metadataUrl}  (log: ${saml.logFile})`);
  console.log(`[idp] CAS 3.0 server (LemonLDAP::NG): ${cas.casBaseUrl}  (log: ${cas.logFile})`);
  console.log(`[idp] demo people: alice / alice-sso-pass (student), bob / bob-sso-pass (staff)`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await Promise.all([saml.stop(), cas.stop()]);
    await writeFile(envFile, '').catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  // Either server ending by itself ends the demo identity providers, with a message.
  void Promise.race([saml.exited.then(() => saml), cas.exited.then(() => cas)]).then(async (gone) => {
    if (stopping) return;
    console.error(`[idp] an identity provider ended by itself; its log: ${gone.logFile}`);
    await stop();
  });
}

main().catch((error: unknown) => {
  console.error(`[idp] could not start the demo identity providers: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
