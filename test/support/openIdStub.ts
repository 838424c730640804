// The Bot Connector's token signing as the bot sees it: a loopback OpenID configuration and JWKS (test keys, endorsed
// for msteams like the real ones), and a signer for tokens of every shape, valid or not.
import { createHmac, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const CHANNEL_ISSUER = 'https://api.botframework.com';

export type SigningAlg = 'RS256' | 'RS384' | 'RS512' | 'HS256' | 'none' | 'ES256';

export interface SignOptions {
  /** The key id in the header (default: the published, endorsed key). */
  kid?: string;
  alg?: SigningAlg;
  /** Sign with this private key instead of the one the kid names (a forged signature). */
  key?: KeyObject;
  /** For HS256: the shared secret (an attacker's guess: the public key's PEM). */
  secret?: string;
  header?: Record<string, unknown>;
}

export interface OpenIdStub {
  url: string;
  metadataUrl: string;
  /** The published key, endorsed for msteams. */
  keyId: string;
  /** Published, but endorsed only for another channel. */
  otherChannelKeyId: string;
  /** Published and endorsed, but an EC key (ES256): not an algorithm the Bot Framework accepts. */
  ecKeyId: string;
  /** A key of the attacker's: never published. */
  unpublished: KeyObject;
  publicPem: string;
  sign(claims: Record<string, unknown>, opts?: SignOptions): string;
  /** How often the keys were fetched. */
  jwksRequests: number;
  close(): Promise<void>;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export async function startOpenIdStub(): Promise<OpenIdStub> {
  const main = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const otherChannel = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const unpublished = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const keyId = `key-${randomUUID()}`;
  const otherChannelKeyId = `key-${randomUUID()}`;
  const ecKeyId = `key-${randomUUID()}`;
  const privateKeys = new Map<string, KeyObject>([[keyId, main.privateKey], [otherChannelKeyId, otherChannel.privateKey], [ecKeyId, ec.privateKey]]);
  const jwk = (key: KeyObject, kid: string, endorsements: string[]) => ({ ...key.export({ format: 'jwk' }), kid, use: 'sig', endorsements });

  const stub: OpenIdStub = {
    url: '', metadataUrl: '', keyId, otherChannelKeyId, ecKeyId, unpublished, jwksRequests: 0,
    publicPem: main.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    sign(claims, opts = {}) {
      const alg = opts.alg ?? 'RS256';
      const kid = opts.kid ?? keyId;
      const header = b64url(JSON.stringify({ alg, typ: 'JWT', ...(alg === 'none' ? {} : { kid, x5t: kid }), ...opts.header }));
      const payload = b64url(JSON.stringify(claims));
      const input = `${header}.${payload}`;
      if (alg === 'none') return `${input}.`;
      if (alg === 'HS256') return `${input}.${createHmac('sha256', opts.secret ?? stub.publicPem).update(input).digest('base64url')}`;
      const key = opts.key ?? privateKeys.get(kid) ?? main.privateKey;
      const hash = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512', ES256: 'sha256' }[alg];
      const signature = alg === 'ES256' ? sign(hash, Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }) : sign(hash, Buffer.from(input), key);
      return `${input}.${b64url(signature)}`;
    },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
  const server = http.createServer((req, res) => {
    res.statusCode = 200;
    res.setHeader('content-type', 'application/json');
    if (req.url === '/v1/.well-known/openidconfiguration') {
      res.end(JSON.stringify({ issuer: CHANNEL_ISSUER, authorization_endpoint: `${stub.url}/v1/auth`, jwks_uri: `${stub.url}/v1/.well-known/keys`,
        id_token_signing_alg_values_supported: ['RS256'], token_endpoint_auth_methods_supported: ['private_key_jwt'] }));
      return;
    }
    if (req.url === '/v1/.well-known/keys') {
      stub.jwksRequests++;
      res.end(JSON.stringify({ keys: [jwk(main.publicKey, keyId, ['msteams', 'webchat']), jwk(otherChannel.publicKey, otherChannelKeyId, ['skype']),
        jwk(ec.publicKey, ecKeyId, ['msteams'])] }));
      return;
    }
    res.statusCode = 404;
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stub.metadataUrl = `${stub.url}/v1/.well-known/openidconfiguration`;
  return stub;
}
