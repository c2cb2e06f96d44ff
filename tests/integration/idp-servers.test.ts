// The project-local identity providers work as real peers, without the platform: a
// SAML service provider (@node-saml/node-saml, the library the platform uses) gets a
// signed assertion for a demo person from SimpleSAMLphp, and a CAS client gets a ticket
// from LemonLDAP::NG and validates it with attributes on /p3/serviceValidate.
import { createServer, type Server } from 'node:http';
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CookieJar,
  demoUsers,
  samlAttributeNames,
  signInAtCas,
  signInAtSamlIdp,
  startCasServer,
  startSamlIdp,
  type RunningCasServer,
  type RunningSamlIdp,
} from '../support/idp-servers.js';

const spEntityId = 'http://127.0.0.1:3999/sso/fjnu/saml/metadata';
const acsUrl = 'http://127.0.0.1:3999/sso/fjnu/saml/acs';

/** The signing certificate(s) an SP reads from the IdP's metadata, as PEM bodies. */
function signingCertificates(metadataXml: string): string[] {
  const certs: string[] = [];
  for (const kd of metadataXml.match(/<md:KeyDescriptor\b[^>]*>[\s\S]*?<\/md:KeyDescriptor>/g) ?? []) {
    if (/use="encryption"/.test(kd)) continue;
    const b64 = kd.match(/<ds:X509Certificate>([^<]+)<\/ds:X509Certificate>/)?.[1];
    if (b64) certs.push(b64.replace(/\s+/g, ''));
  }
  return certs;
}

function serviceProvider(idp: RunningSamlIdp, idpCert: string | string[], entityId = spEntityId, acs = acsUrl): SAML {
  return new SAML({
    callbackUrl: acs,
    entryPoint: idp.ssoUrl,
    issuer: entityId,
    audience: entityId,
    idpIssuer: idp.entityId,
    idpCert,
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: true,
    validateInResponseTo: ValidateInResponseTo.always,
    identifierFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
  });
}

describe('SimpleSAMLphp (SAML 2.0 identity provider)', () => {
  let idp: RunningSamlIdp;
  let metadataXml: string;

  beforeAll(async () => {
    idp = await startSamlIdp({ spEntityId, acsUrl });
    const res = await fetch(idp.metadataUrl);
    expect(res.status).toBe(200);
    metadataXml = await res.text();
  });
  afterAll(async () => {
    await idp?.stop();
  });

  it('publishes its metadata by URL: entityID, signing certificate, SSO endpoint and scope', () => {
    expect(metadataXml).toContain(`entityID="${idp.entityId}"`);
    expect(metadataXml).toContain(`Location="${idp.ssoUrl}"`);
    expect(metadataXml).toMatch(/<shibmd:Scope\b[^>]*>fjnu\.edu\.cn<\/shibmd:Scope>/);
    const certs = signingCertificates(metadataXml);
    expect(certs.length).toBeGreaterThan(0);
    expect(idp.certificatePem.replace(/-----[A-Z ]+-----|\s+/g, '')).toBe(certs[0]);
  });

  it('signs a demo person in through its login form and answers with a signed assertion carrying the CARSI attributes', async () => {
    const sp = serviceProvider(idp, signingCertificates(metadataXml));
    const redirect = await sp.getAuthorizeUrlAsync('relay-alice', undefined, {});
    const post = await signInAtSamlIdp(redirect, 'alice', demoUsers[0]!.password);
    expect(post.acsUrl).toBe(acsUrl);
    expect(post.relayState).toBe('relay-alice');

    const xml = Buffer.from(post.samlResponse, 'base64').toString('utf8');
    // Both the response and the assertion are signed (RSA-SHA256).
    expect(xml.match(/<ds:Signature\b/g)).toHaveLength(2);
    expect(xml).toContain('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');

    const { profile } = await sp.validatePostResponseAsync({ SAMLResponse: post.samlResponse, RelayState: post.relayState ?? '' });
    expect(profile).not.toBeNull();
    expect(profile!.issuer).toBe(idp.entityId);
    expect(profile!.nameIDFormat).toBe('urn:oasis:names:tc:SAML:2.0:nameid-format:persistent');
    const attrs = profile!.attributes as Record<string, string | string[]>;
    expect(attrs[samlAttributeNames.eduPersonPrincipalName]).toBe('alice@fjnu.edu.cn');
    expect(attrs[samlAttributeNames.displayName]).toBe('林晓雨');
    expect(attrs[samlAttributeNames.mail]).toBe('alice@fjnu.edu.cn');
    expect(attrs[samlAttributeNames.eduPersonScopedAffiliation]).toEqual(['student@fjnu.edu.cn', 'member@fjnu.edu.cn']);
    expect(attrs[samlAttributeNames.pairwiseId]).toMatch(/^[0-9a-f]{32}@fjnu\.edu\.cn$/);
    expect(attrs[samlAttributeNames.subjectId]).toMatch(/^[0-9a-f]{32}@fjnu\.edu\.cn$/);
    // The persistent NameID is the pairwise-id.
    expect(profile!.nameID).toBe(attrs[samlAttributeNames.pairwiseId]);
  });

  it('releases staff affiliations for a staff member and another scope for the planted outsider', async () => {
    const sp = serviceProvider(idp, signingCertificates(metadataXml));
    for (const [user, eppn, affiliation] of [
      [demoUsers[1]!, 'bob@fjnu.edu.cn', ['staff@fjnu.edu.cn', 'faculty@fjnu.edu.cn', 'member@fjnu.edu.cn']],
      [demoUsers[2]!, 'mallory@xmu.edu.cn', ['student@xmu.edu.cn']],
    ] as const) {
      const post = await signInAtSamlIdp(await sp.getAuthorizeUrlAsync('', undefined, {}), user.username, user.password);
      const { profile } = await sp.validatePostResponseAsync({ SAMLResponse: post.samlResponse });
      const attrs = profile!.attributes as Record<string, string | string[]>;
      expect(attrs[samlAttributeNames.eduPersonPrincipalName]).toBe(eppn);
      expect([attrs[samlAttributeNames.eduPersonScopedAffiliation]].flat()).toEqual(affiliation);
      expect(attrs[samlAttributeNames.displayName]).toBe(user.displayName);
    }
  });

  it('refuses a wrong password with its login form again', async () => {
    const sp = serviceProvider(idp, signingCertificates(metadataXml));
    await expect(signInAtSamlIdp(await sp.getAuthorizeUrlAsync('', undefined, {}), 'alice', 'not-her-password')).rejects.toThrow(/refused alice's password/);
  });

  it('keeps the person signed in (single sign-on) and the signature binds the assertion to its key', async () => {
    const sp = serviceProvider(idp, signingCertificates(metadataXml));
    const jar = new CookieJar();
    await signInAtSamlIdp(await sp.getAuthorizeUrlAsync('', undefined, {}), 'bob', demoUsers[1]!.password, jar);
    // Second time: no password (the jar holds the IdP session), a fresh assertion.
    const again = await signInAtSamlIdp(await sp.getAuthorizeUrlAsync('', undefined, {}), 'bob', 'unused', jar);
    await expect(sp.validatePostResponseAsync({ SAMLResponse: again.samlResponse })).resolves.toMatchObject({ loggedOut: false });

    // An SP that trusts another key refuses the same kind of answer.
    const other = await startSamlIdp({ spEntityId, acsUrl, name: `other-${process.pid}` });
    try {
      const wrongKeySp = serviceProvider(idp, other.certificatePem);
      const post = await signInAtSamlIdp(await wrongKeySp.getAuthorizeUrlAsync('', undefined, {}), 'alice', demoUsers[0]!.password);
      await expect(wrongKeySp.validatePostResponseAsync({ SAMLResponse: post.samlResponse })).rejects.toThrow(/signature/i);
    } finally {
      await other.stop();
    }
  });

  it('registers a service provider from the metadata it serves by URL, read when the SP is already up or comes up later', async () => {
    const entityId = 'http://127.0.0.1:3998/sso/fjnu/saml/metadata';
    const acs = 'http://127.0.0.1:3998/sso/fjnu/saml/acs';
    let spMetadata = '';
    const server: Server = createServer((req, res) => {
      if (spMetadata === '') {
        res.writeHead(503).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/samlmetadata+xml' }).end(spMetadata);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const byUrl = await startSamlIdp({ spEntityId: entityId, spMetadataUrl: `http://127.0.0.1:${port}/metadata` });
    try {
      const metadata = await (await fetch(byUrl.metadataUrl)).text();
      const sp = serviceProvider(byUrl, signingCertificates(metadata), entityId, acs);
      spMetadata = sp.generateServiceProviderMetadata(null, null);
      const post = await signInAtSamlIdp(await sp.getAuthorizeUrlAsync('', undefined, {}), 'alice', demoUsers[0]!.password);
      expect(post.acsUrl).toBe(acs);
      const { profile } = await sp.validatePostResponseAsync({ SAMLResponse: post.samlResponse });
      expect((profile!.attributes as Record<string, string>)[samlAttributeNames.eduPersonPrincipalName]).toBe('alice@fjnu.edu.cn');
    } finally {
      await byUrl.stop();
      server.close();
    }
  });
});

/** The parts of a CAS 3.0 serviceValidate answer a client reads. */
function parseServiceResponse(xml: string): { user?: string; failure?: string; attributes: Record<string, string[]> } {
  const attributes: Record<string, string[]> = {};
  const block = xml.match(/<cas:attributes>([\s\S]*?)<\/cas:attributes>/)?.[1] ?? '';
  for (const m of block.matchAll(/<cas:([A-Za-z]+)>([^<]*)<\/cas:\1>/g)) (attributes[m[1]!] ??= []).push(m[2]!);
  return {
    user: xml.match(/<cas:authenticationSuccess>\s*<cas:user>([^<]*)<\/cas:user>/)?.[1],
    failure: xml.match(/<cas:authenticationFailure code="([A-Z_]+)"/)?.[1],
    attributes,
  };
}

describe('LemonLDAP::NG (CAS 3.0 server)', () => {
  const service = 'http://127.0.0.1:3999/sso/fjnu/cas/callback';
  let cas: RunningCasServer;
  const login = (svc = service) => `${cas.loginUrl}?service=${encodeURIComponent(svc)}`;
  const validate = async (ticket: string, svc = service) => {
    const res = await fetch(`${cas.casBaseUrl}/p3/serviceValidate?service=${encodeURIComponent(svc)}&ticket=${encodeURIComponent(ticket)}`);
    expect(res.status).toBe(200);
    return parseServiceResponse(await res.text());
  };

  beforeAll(async () => {
    cas = await startCasServer({ serviceUrlPrefix: 'http://127.0.0.1:3999/sso/' });
  });
  afterAll(async () => {
    await cas?.stop();
  });

  it('gives a demo person a service ticket that /p3/serviceValidate turns into the user and attributes, once', async () => {
    const { serviceUrl, ticket } = await signInAtCas(login(), 'alice', demoUsers[0]!.password);
    expect(serviceUrl.startsWith(`${service}?ticket=ST-`)).toBe(true);

    const answer = await validate(ticket);
    expect(answer.failure).toBeUndefined();
    expect(answer.user).toBe('alice');
    expect(answer.attributes).toEqual({
      uid: ['alice'],
      displayName: ['林晓雨'],
      mail: ['alice@fjnu.edu.cn'],
      eduPersonPrincipalName: ['alice@fjnu.edu.cn'],
      eduPersonScopedAffiliation: ['student@fjnu.edu.cn', 'member@fjnu.edu.cn'],
    });

    // A ticket is good for one validation only.
    expect(await validate(ticket)).toMatchObject({ user: undefined, failure: 'INVALID_TICKET' });
  });

  it('refuses a ticket presented for another service', async () => {
    const { ticket } = await signInAtCas(login(), 'bob', demoUsers[1]!.password);
    const answer = await validate(ticket, 'http://127.0.0.1:3999/sso/other/cas/callback');
    expect(answer.user).toBeUndefined();
    expect(answer.failure).toMatch(/^INVALID_(SERVICE|TICKET)$/);
  });

  it('keeps the person signed in (single sign-on) and releases staff attributes', async () => {
    const jar = new CookieJar();
    await signInAtCas(login(), 'bob', demoUsers[1]!.password, jar);
    const again = await signInAtCas(login(), 'bob', 'unused', jar);
    const answer = await validate(again.ticket);
    expect(answer.user).toBe('bob');
    expect(answer.attributes.displayName).toEqual(['陈建国']);
    expect(answer.attributes.eduPersonScopedAffiliation).toEqual(['staff@fjnu.edu.cn', 'faculty@fjnu.edu.cn', 'member@fjnu.edu.cn']);
  });

  it('refuses a wrong password and a service outside the registered prefix, with no ticket', async () => {
    await expect(signInAtCas(login(), 'alice', 'not-her-password')).rejects.toThrow(/portal message 5\b/);
    await expect(signInAtCas(login('http://evil.example/sso/fjnu/cas/callback'), 'alice', demoUsers[0]!.password)).rejects.toThrow(/portal message 107\b/);
  });
});
