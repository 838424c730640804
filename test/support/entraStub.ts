// A loopback Microsoft Entra ID token endpoint over TLS (MSAL accepts only https authorities): the tenant's OpenID
// metadata and the client-credentials grant, with a client secret or a certificate (client_assertion, RFC 7523).
// Its CA (a self-signed certificate made at start) is what the bot is told to trust (GRAPH_CA_FILE).
import { createHash, createPublicKey, randomBytes, verify, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { generate } from 'selfsigned';

export interface EntraStub {
  url: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** A PEM file with the client certificate and its private key (for GRAPH_CERTIFICATE_PATH). */
  certificatePath: string;
  /** The stub's TLS certificate, for GRAPH_CA_FILE. */
  caFile: string;
  /** Access tokens issued, and until when they are valid. */
  issued: Map<string, { expiresAt: number; scope: string; via: 'secret' | 'certificate' }>;
  requests: { method: string; path: string }[];
  /** Answer token requests with this status (e.g. 503) until cleared. */
  failWith: number | undefined;
  isValid(token: string): boolean;
  close(): Promise<void>;
}

const readBody = (req: import('node:http').IncomingMessage) => new Promise<string>((resolve, reject) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  req.on('error', reject);
});

function send(res: import('node:http').ServerResponse, status: number, body: unknown): void {
  // No chaining: restify patches writeHead process-wide.
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}

const b64url = (s: string) => Buffer.from(s, 'base64url');

/** Checks a client assertion the way Entra does: signed with the registered certificate, for this token endpoint, in time. */
function assertionValid(jwt: string, cert: X509Certificate, clientId: string, audience: string): boolean {
  const [h, p, sig] = jwt.split('.');
  if (!h || !p || !sig) return false;
  const header = JSON.parse(b64url(h).toString('utf8')) as { alg?: string; x5t?: string; 'x5t#S256'?: string };
  const payload = JSON.parse(b64url(p).toString('utf8')) as { aud?: string; iss?: string; sub?: string; exp?: number };
  const thumbprint = createHash('sha256').update(cert.raw).digest('base64url');
  const sha1 = createHash('sha1').update(cert.raw).digest('base64url');
  if (header['x5t#S256'] !== thumbprint && header.x5t !== sha1) return false;
  const key = createPublicKey(cert.publicKey.export({ type: 'spki', format: 'pem' }));
  const data = Buffer.from(`${h}.${p}`);
  const signature = b64url(sig);
  const ok = header.alg === 'PS256'
    ? verify('sha256', data, { key, padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: 32 }, signature)
    : header.alg === 'RS256' && verify('sha256', data, key, signature);
  return ok && payload.aud === audience && payload.iss === clientId && payload.sub === clientId && (payload.exp ?? 0) * 1000 > Date.now();
}

export async function startEntraStub(): Promise<EntraStub> {
  const tls = await generate([{ name: 'commonName', value: '127.0.0.1' }],
    { keySize: 2048, extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] }] });
  const client = await generate([{ name: 'commonName', value: 'weerbaar-graph-client' }], { keySize: 2048 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weerbaar-entra-'));
  const caFile = path.join(dir, 'ca.pem');
  const certificatePath = path.join(dir, 'client.pem');
  fs.writeFileSync(caFile, tls.cert);
  fs.writeFileSync(certificatePath, `${client.private}\n${client.cert}`, { mode: 0o600 });
  const clientCert = new X509Certificate(client.cert);

  const stub = {
    tenantId: '7a1c0de0-0000-4000-8000-00000000e17a',
    clientId: 'c0ffee00-0000-4000-8000-000000000123',
    clientSecret: `test-only-${randomBytes(12).toString('hex')}`,
    certificatePath, caFile,
    issued: new Map<string, { expiresAt: number; scope: string; via: 'secret' | 'certificate' }>(),
    requests: [] as { method: string; path: string }[],
    failWith: undefined as number | undefined,
    url: '',
    isValid(token: string) {
      const t = this.issued.get(token);
      return t !== undefined && t.expiresAt > Date.now() && t.scope === 'https://graph.microsoft.com/.default';
    },
  };

  const server = https.createServer({ key: tls.private, cert: tls.cert }, (req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', stub.url);
      stub.requests.push({ method: req.method ?? '', path: url.pathname });
      const [tenant, ...rest] = url.pathname.split('/').filter(Boolean);
      const route = rest.join('/');
      if (tenant !== stub.tenantId) return send(res, 400, { error: 'invalid_tenant', error_description: 'AADSTS90002: Tenant not found.' });
      if (req.method === 'GET' && route === 'v2.0/.well-known/openid-configuration') {
        const base = `${stub.url}/${stub.tenantId}`;
        return send(res, 200, {
          issuer: `${base}/v2.0`, token_endpoint: `${base}/oauth2/v2.0/token`, authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
          end_session_endpoint: `${base}/oauth2/v2.0/logout`, jwks_uri: `${base}/discovery/v2.0/keys`, response_types_supported: ['code', 'token'],
          token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
        });
      }
      if (req.method === 'POST' && route === 'oauth2/v2.0/token') {
        const form = new URLSearchParams(await readBody(req));
        if (stub.failWith !== undefined) return send(res, stub.failWith, { error: 'temporarily_unavailable', error_description: 'AADSTS50196: stub failure' });
        if (form.get('grant_type') !== 'client_credentials') return send(res, 400, { error: 'unsupported_grant_type' });
        if (form.get('client_id') !== stub.clientId) return send(res, 400, { error: 'unauthorized_client', error_description: 'AADSTS700016: Application not found.' });
        let via: 'secret' | 'certificate';
        if (form.has('client_secret')) {
          if (form.get('client_secret') !== stub.clientSecret) return send(res, 401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' });
          via = 'secret';
        } else if (form.get('client_assertion_type') === 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
          && assertionValid(form.get('client_assertion') ?? '', clientCert, stub.clientId, `${stub.url}/${stub.tenantId}/oauth2/v2.0/token`)) {
          via = 'certificate';
        } else {
          return send(res, 401, { error: 'invalid_client', error_description: 'AADSTS700027: Client assertion failed signature validation.' });
        }
        const scope = form.get('scope') ?? '';
        const token = randomBytes(24).toString('base64url');
        stub.issued.set(token, { expiresAt: Date.now() + 3_600_000, scope, via });
        return send(res, 200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token });
      }
      return send(res, 404, { error: 'not_found' });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(stub, {
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => { fs.rmSync(dir, { recursive: true, force: true }); resolve(); });
    }),
  });
}
