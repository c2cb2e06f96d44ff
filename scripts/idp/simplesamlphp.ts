// A SAML 2.0 identity provider for tests and the demo: Debian's SimpleSAMLphp (package
// `simplesamlphp`, 1.19) served by PHP's built-in web server, with its whole configuration
// generated into a folder of its own under .data/idp/ (SIMPLESAMLPHP_CONFIG_DIR): nothing
// in /etc is read or changed.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { access, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort, requirePrograms, runFolder, spawnLogged, waitForHttp } from './common.js';
import { demoScope, demoUsers, type IdpUser } from './demo-users.js';

const execFileP = promisify(execFile);
const sspRoot = '/usr/share/simplesamlphp';
const php = '/usr/bin/php';

/** SAML attribute names as released (attribute NameFormat `uri`, as Shibboleth and CARSI release them). */
export const samlAttributeNames = {
  eduPersonPrincipalName: 'urn:oid:1.3.6.1.4.1.5923.1.1.1.6',
  eduPersonScopedAffiliation: 'urn:oid:1.3.6.1.4.1.5923.1.1.1.9',
  displayName: 'urn:oid:2.16.840.1.113730.3.1.241',
  mail: 'urn:oid:0.9.2342.19200300.100.1.3',
  pairwiseId: 'urn:oasis:names:tc:SAML:attribute:pairwise-id',
  subjectId: 'urn:oasis:names:tc:SAML:attribute:subject-id',
} as const;

export type SamlIdpOptions = {
  /** The service provider's entityID (its metadata's entityID). */
  spEntityId: string;
  /** The SP's AssertionConsumerService URL (HTTP-POST binding). Give this, or `spMetadataUrl`, or both. */
  acsUrl?: string;
  /**
   * Where the SP serves its metadata. SimpleSAMLphp reads it on every request, so the SP may
   * start after the IdP; when `acsUrl` is given too, the explicit entry wins for `spEntityId`.
   */
  spMetadataUrl?: string;
  /** The people who can sign in (default: demoUsers). */
  users?: IdpUser[];
  /** Scope of pairwise-id and subject-id (default fjnu.edu.cn). */
  scope?: string;
  /** Port to listen on (default: a free one). */
  port?: number;
  /** Folder name under .data/idp/ (default: saml-<port>); the demo uses a fixed one so its key survives restarts. */
  name?: string;
};

export type RunningSamlIdp = {
  entityId: string;
  /** The IdP's signed-by-nobody metadata (EntityDescriptor with the signing certificate). */
  metadataUrl: string;
  /** SingleSignOnService, HTTP-Redirect binding. */
  ssoUrl: string;
  /** SingleLogoutService, HTTP-Redirect binding. */
  sloUrl: string;
  /** The IdP's signing certificate, PEM. */
  certificatePem: string;
  baseUrl: string;
  /** Where the server's configuration, key, sessions and logs are. */
  folder: string;
  logFile: string;
  /** Settles when the server has ended (by stop() or by itself). */
  exited: Promise<void>;
  stop(): Promise<void>;
};

/** A PHP literal for a JSON-like value (strings single-quoted, arrays as `[...]`). */
function phpValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (Array.isArray(value)) return `[${value.map(phpValue).join(', ')}]`;
  if (typeof value === 'object') {
    return `[\n${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `  ${phpValue(k)} => ${phpValue(v)},`)
      .join('\n')}\n]`;
  }
  throw new Error(`cannot write ${typeof value} as PHP`);
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/** A 2048-bit RSA key and a ten-year self-signed certificate, made once per folder. */
async function ensureSigningKey(certDir: string, commonName: string): Promise<void> {
  const key = path.join(certDir, 'idp.key');
  const crt = path.join(certDir, 'idp.crt');
  if ((await exists(key)) && (await exists(crt))) return;
  await execFileP('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '3650', '-subj', `/CN=${commonName}`, '-keyout', key, '-out', crt]);
}

/** The PHP run after login for each SP: pairwise-id per (person, SP), subject-id per person. */
function identifierCode(scope: string, salt: string): string {
  const s = phpValue(scope);
  const salted = phpValue(salt);
  return [
    `$uid = $attributes['uid'][0];`,
    `$sp = isset($state['Destination']['entityid']) ? $state['Destination']['entityid'] : '';`,
    `$attributes['pairwise-id'] = [substr(hash('sha256', $uid . '!' . $sp . '!' . ${salted}), 0, 32) . '@' . ${s}];`,
    `$attributes['subject-id'] = [substr(hash('sha256', $uid . '!' . ${salted}), 0, 32) . '@' . ${s}];`,
  ].join(' ');
}

/** Writes config.php, authsources.php and the metadata of one IdP run. */
async function writeConfiguration(folder: string, baseUrl: string, options: SamlIdpOptions & { users: IdpUser[]; scope: string }): Promise<string> {
  const dirs = Object.fromEntries(['config', 'metadata', 'cert', 'log', 'data', 'tmp', 'sessions'].map((d) => [d, path.join(folder, d)])) as Record<string, string>;
  for (const d of Object.values(dirs)) await mkdir(d, { recursive: true });
  await ensureSigningKey(dirs.cert!, new URL(baseUrl).host);

  // Secrets that must stay stable for the folder's life (sessions, pairwise-ids).
  const secretsFile = path.join(folder, 'secrets.json');
  let secrets: { salt: string; admin: string };
  if (await exists(secretsFile)) secrets = JSON.parse(await readFile(secretsFile, 'utf8')) as typeof secrets;
  else {
    secrets = { salt: randomBytes(24).toString('hex'), admin: randomBytes(12).toString('hex') };
    await writeFile(secretsFile, JSON.stringify(secrets), { mode: 0o600 });
  }

  const config = {
    baseurlpath: `${baseUrl}/`,
    certdir: dirs.cert + '/',
    loggingdir: dirs.log + '/',
    datadir: dirs.data + '/',
    tempdir: dirs.tmp,
    metadatadir: dirs.metadata + '/',
    'metadata.sources': [{ type: 'flatfile', directory: dirs.metadata + '/' }],
    technicalcontact_name: 'Demo identity provider',
    technicalcontact_email: 'na@example.org',
    secretsalt: secrets.salt,
    'auth.adminpassword': secrets.admin,
    'admin.protectindexpage': false,
    'admin.protectmetadata': false,
    timezone: 'Asia/Shanghai',
    'logging.handler': 'file',
    'logging.logfile': 'simplesamlphp.log',
    'enable.saml20-idp': true,
    'enable.shib13-idp': false,
    'module.enable': { core: true, saml: true, exampleauth: true, admin: true },
    'session.cookie.secure': false,
    'session.phpsession.savepath': dirs.sessions,
    'store.type': 'phpsession',
    'language.available': ['zh', 'en'],
    'language.default': 'zh',
    'language.rtl': [],
    showerrors: true,
    errorreporting: false,
    'trusted.url.domains': [],
  };
  await writeFile(path.join(dirs.config!, 'config.php'), `<?php\n// Generated by scripts/idp/simplesamlphp.ts: do not edit.\n$config = ${phpValue(config)};\n$config['logging.level'] = SimpleSAML\\Logger::INFO;\n`);

  const userSource: Record<string, unknown> = {};
  for (const u of options.users) {
    userSource[`${u.username}:${u.password}`] = {
      uid: [u.username],
      eduPersonPrincipalName: [u.eduPersonPrincipalName],
      eduPersonScopedAffiliation: u.eduPersonScopedAffiliation,
      displayName: [u.displayName],
      mail: [u.mail],
    };
  }
  await writeFile(path.join(dirs.config!, 'authsources.php'), `<?php\n$config = [\n  'admin' => ['core:AdminPassword'],\n  'demo-users' => array_merge(['exampleauth:UserPass'], ${phpValue(userSource)}),\n];\n`);

  const entityId = `${baseUrl}/saml2/idp/metadata.php`;
  const idpHosted = {
    host: '__DEFAULT__',
    privatekey: 'idp.key',
    certificate: 'idp.crt',
    auth: 'demo-users',
    // Published as <shibmd:Scope> in the metadata, as CARSI's federation metadata does.
    scope: [options.scope],
    'saml20.sign.assertion': true,
    'saml20.sign.response': true,
    'signature.algorithm': 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    'attributes.NameFormat': 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri',
    NameIDFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
    authproc: {
      10: { class: 'core:PHP', code: identifierCode(options.scope, secrets.salt) },
      // The persistent NameID is the pairwise-id: stable per person and SP, useless elsewhere.
      20: { class: 'saml:AttributeNameID', attribute: 'pairwise-id', Format: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent' },
      30: {
        class: 'core:AttributeLimit',
        0: 'eduPersonPrincipalName',
        1: 'eduPersonScopedAffiliation',
        2: 'displayName',
        3: 'mail',
        4: 'pairwise-id',
        5: 'subject-id',
      },
      40: {
        class: 'core:AttributeMap',
        eduPersonPrincipalName: samlAttributeNames.eduPersonPrincipalName,
        eduPersonScopedAffiliation: samlAttributeNames.eduPersonScopedAffiliation,
        displayName: samlAttributeNames.displayName,
        mail: samlAttributeNames.mail,
        'pairwise-id': samlAttributeNames.pairwiseId,
        'subject-id': samlAttributeNames.subjectId,
      },
    },
  };
  await writeFile(path.join(dirs.metadata!, 'saml20-idp-hosted.php'), `<?php\n$metadata[${phpValue(entityId)}] = ${phpValue(idpHosted)};\n`);

  // The SP by its metadata URL: read on each request that needs it (so the SP may come up
  // after the IdP), the last good copy kept for when the SP is down. SimpleSAMLphp's own
  // `xml`+`url` source would fail every request, the IdP's metadata page included, while
  // the SP is unreachable.
  const byUrl = options.spMetadataUrl
    ? `$url = ${phpValue(options.spMetadataUrl)};
$cache = ${phpValue(path.join(folder, 'sp-metadata.xml'))};
$xml = @file_get_contents($url, false, stream_context_create(['http' => ['timeout' => 3]]));
if (is_string($xml) && $xml !== '') {
    @file_put_contents($cache, $xml);
} elseif (is_file($cache)) {
    $xml = file_get_contents($cache);
} else {
    SimpleSAML\\Logger::warning('SP metadata not available at ' . $url);
}
if (is_string($xml) && $xml !== '') {
    try {
        foreach (SimpleSAML\\Metadata\\SAMLParser::parseDescriptorsString($xml) as $id => $entity) {
            $md = $entity->getMetadata20SP();
            if ($md !== null) {
                $metadata[$id] = $md;
            }
        }
    } catch (Exception $e) {
        SimpleSAML\\Logger::warning('SP metadata at ' . $url . ' not understood: ' . $e->getMessage());
    }
}
`
    : '';
  const explicit = options.acsUrl
    ? `$metadata[${phpValue(options.spEntityId)}] = ${phpValue({
        AssertionConsumerService: [{ Binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', Location: options.acsUrl, index: 0 }],
        NameIDFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
      })};\n`
    : '';
  await writeFile(path.join(dirs.metadata!, 'saml20-sp-remote.php'), `<?php\n// Generated by scripts/idp/simplesamlphp.ts: do not edit.\n${byUrl}${explicit}`);
  return entityId;
}

export async function startSamlIdp(options: SamlIdpOptions): Promise<RunningSamlIdp> {
  if (!options.acsUrl && !options.spMetadataUrl) throw new Error('startSamlIdp needs the SP acsUrl or spMetadataUrl');
  await requirePrograms({ [php]: 'php-cli', [path.join(sspRoot, 'www/module.php')]: 'simplesamlphp' });
  const port = options.port ?? (await freePort());
  const folder = await runFolder('saml', options.name ?? String(port));
  await rm(path.join(folder, 'sessions'), { recursive: true, force: true });
  const baseUrl = `http://127.0.0.1:${port}`;
  const entityId = await writeConfiguration(folder, baseUrl, { ...options, users: options.users ?? demoUsers, scope: options.scope ?? demoScope });
  const logFile = path.join(folder, 'server.log');
  const server = spawnLogged(
    php,
    ['-d', 'display_errors=stderr', '-d', `session.save_path=${path.join(folder, 'sessions')}`, '-S', `127.0.0.1:${port}`, '-t', path.join(sspRoot, 'www')],
    // Several workers: one slow request (an SP's metadata being read) does not hold up the rest.
    { env: { SIMPLESAMLPHP_CONFIG_DIR: path.join(folder, 'config'), PHP_CLI_SERVER_WORKERS: '4', TZ: 'Asia/Shanghai' }, logFile },
  );
  const metadataUrl = `${baseUrl}/saml2/idp/metadata.php`;
  await waitForHttp(metadataUrl, server, 'SimpleSAMLphp', `entityID="${entityId}"`);
  return {
    entityId,
    metadataUrl,
    ssoUrl: `${baseUrl}/saml2/idp/SSOService.php`,
    sloUrl: `${baseUrl}/saml2/idp/SingleLogoutService.php`,
    certificatePem: await readFile(path.join(folder, 'cert/idp.crt'), 'utf8'),
    baseUrl,
    folder,
    logFile,
    exited: server.exited,
    stop: () => server.stop(),
  };
}
