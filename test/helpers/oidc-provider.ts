/**
 * A real OpenID provider (oidc-provider, OpenID Certified) on a loopback port, in the test
 * process: the client-credentials grant issues JWT access tokens for this API's audience, with
 * the role and partner claims of the client. Tests sign their negative cases with its keys.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider from 'oidc-provider';

export const AUDIENCE = 'https://jahiz.test/api';

/** The claims each test client's tokens carry (its `sub` is its client id). */
export type ClientClaims = Record<string, unknown>;

/** A key pair as jose generates it (a WebCrypto key). */
type Key = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

export interface SigningKey {
  kid: string;
  alg: 'ES256' | 'RS256';
  privateKey: Key;
  publicKey: Key;
  publicJwk: JWK;
  privateJwk: JWK;
}

export async function signingKey(kid: string, alg: 'ES256' | 'RS256'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg, use: 'sig' };
  return { kid, alg, privateKey, publicKey, publicJwk, privateJwk };
}

export interface TestProvider {
  issuer: string;
  /** Requests to the key set so far (discovery apart). */
  jwksFetches(): number;
  /** A client-credentials access token for the client (registered with its claims). */
  token(clientId: string): Promise<string>;
  /** Starts signing with new keys (listed first; the old ones stay published unless dropped). */
  rotate(keys: SigningKey[]): void;
  close(): Promise<void>;
}

const SECRET = 'a-client-secret-for-tests-only-0123456789';

export async function startProvider(
  clients: Record<string, ClientClaims>,
  keys: SigningKey[],
): Promise<TestProvider> {
  let handler: (req: IncomingMessage, res: ServerResponse) => void = () => {};
  let fetches = 0;
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/jwks')) fetches += 1;
    handler(req, res);
  });
  // Clients (fetch) reuse idle connections until just before the server's keep-alive timeout;
  // on a loaded machine their timers run late and a reused socket meets the server's close
  // (ECONNRESET). A long server timeout leaves the closing to the clients.
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const build = (signing: SigningKey[]) => {
    const provider = new Provider(issuer, {
      clients: Object.keys(clients).map((client_id) => ({
        client_id,
        client_secret: SECRET,
        grant_types: ['client_credentials'],
        redirect_uris: [],
        response_types: [],
        // The provider checks it against its keys even where no ID token is issued.
        id_token_signed_response_alg: signing[0]?.alg ?? 'ES256',
      })),
      jwks: { keys: signing.map((k) => k.privateJwk) },
      features: {
        clientCredentials: { enabled: true },
        devInteractions: { enabled: false },
        resourceIndicators: {
          enabled: true,
          defaultResource: () => AUDIENCE,
          useGrantedResource: () => true,
          getResourceServerInfo: () => ({
            scope: 'api',
            audience: AUDIENCE,
            accessTokenFormat: 'jwt',
            accessTokenTTL: 3600,
            jwt: { sign: { alg: signing[0]?.alg ?? 'ES256' } },
          }),
        },
      },
      ttl: { ClientCredentials: 3600 },
      extraTokenClaims: (_ctx, token) =>
        'clientId' in token && typeof token.clientId === 'string'
          ? clients[token.clientId]
          : undefined,
    });
    handler = provider.callback();
  };
  build(keys);
  return {
    issuer,
    jwksFetches: () => fetches,
    async token(clientId) {
      const response = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${clientId}:${SECRET}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          resource: AUDIENCE,
          scope: 'api',
        }),
      });
      const body = (await response.json()) as { access_token?: string };
      if (!response.ok || !body.access_token) {
        throw new Error(`token request: ${response.status} ${JSON.stringify(body)}`);
      }
      return body.access_token;
    },
    rotate: build,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
