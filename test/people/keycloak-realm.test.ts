/**
 * The Keycloak development profile (docs/people.md): its realm export is well-formed and says
 * what the docs and the service's defaults say; compose wires it as documented. No Keycloak
 * runs here: what this cannot prove is named in docs/people.md's set-up steps.
 */
import { readFile } from 'node:fs/promises';
import t from 'tap';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config.js';
import { startTestApp } from '../helpers/app.js';

const read = (name: string) => readFile(new URL(`../../${name}`, import.meta.url), 'utf8');

interface Mapper {
  name: string;
  protocolMapper: string;
  config: Record<string, string>;
}

const realm = JSON.parse(await read('keycloak/jahiz-realm.json'));
const docs = await read('docs/people.md');
const compose = parse(await read('docker-compose.yml'));
const defaults = loadConfig({
  JAHIZ_DATA_DIR: '/tmp/unused',
  OIDC_ISSUER: 'http://localhost:8081/realms/jahiz',
  OIDC_AUDIENCE: 'jahiz-api',
}).oidc;

t.test('the realm has the three roles and a PKCE frontend client', async (t) => {
  t.equal(realm.realm, 'jahiz');
  t.same(realm.roles.realm.map((r: { name: string }) => r.name).sort(), [
    'admin',
    'partner',
    'reporting',
  ]);
  const frontend = realm.clients.find((c: { clientId: string }) => c.clientId === 'jahiz-frontend');
  t.ok(frontend, 'client jahiz-frontend');
  t.equal(frontend.publicClient, true, 'a browser keeps no secret');
  t.equal(frontend.standardFlowEnabled, true, 'authorization code flow');
  t.equal(frontend.implicitFlowEnabled, false);
  t.equal(frontend.directAccessGrantsEnabled, false, 'no passwords through the frontend');
  t.equal(frontend.attributes['pkce.code.challenge.method'], 'S256');
  t.match(docs, '**`jahiz-frontend`**');
  t.match(docs, 'PKCE `S256`');
});

t.test('its mappers emit the claims the service reads by default', async (t) => {
  const frontend = realm.clients.find((c: { clientId: string }) => c.clientId === 'jahiz-frontend');
  const mappers = new Map<string, Mapper>(
    frontend.protocolMappers.map((m: Mapper) => [m.name, m] as const),
  );
  const role = mappers.get('jahiz role');
  t.equal(role?.protocolMapper, 'oidc-usermodel-realm-role-mapper');
  t.equal(role?.config['claim.name'], defaults?.roleClaim);
  t.equal(role?.config['access.token.claim'], 'true');
  const partner = mappers.get('jahiz partner');
  t.equal(partner?.protocolMapper, 'oidc-usermodel-attribute-mapper');
  t.equal(partner?.config['claim.name'], defaults?.partnerClaim);
  t.equal(partner?.config['access.token.claim'], 'true');
  const audience = mappers.get('jahiz audience');
  t.equal(audience?.protocolMapper, 'oidc-audience-mapper');
  t.equal(audience?.config['included.custom.audience'], 'jahiz-api');
  for (const name of mappers.keys()) t.match(docs, `**\`${name}\`**`, `docs name ${name}`);

  for (const group of realm.groups) {
    t.same(group.attributes.jahiz_partner, [group.name], `${group.name} carries its code`);
    t.same(group.realmRoles, ['partner']);
  }
  const partners = (await read('migrations/0001_partners.ts')).match(/code: '([A-Z]+)'/g) ?? [];
  t.same(
    realm.groups.map((g: { name: string }) => `code: '${g.name}'`).sort(),
    [...partners].sort(),
    'one group per seeded partner',
  );
});

t.test('compose runs it in the `people` profile, at the documented issuer', async (t) => {
  const keycloak = compose.services.keycloak;
  t.same(keycloak.profiles, ['people'], 'optional');
  t.equal(keycloak.network_mode, 'service:jahiz', 'localhost is the same for browser and jahiz');
  t.ok(
    keycloak.volumes.some((v: string) => v.startsWith('./keycloak/jahiz-realm.json:')),
    'the realm is imported',
  );
  t.match(keycloak.command, ['start-dev', '--import-realm']);
  t.equal(keycloak.environment.KC_HOSTNAME, 'http://localhost:8081');
  t.ok(compose.services.jahiz.ports.includes('8081:8081'));
  t.match(docs, 'OIDC_ISSUER=http://localhost:8081/realms/jahiz OIDC_AUDIENCE=jahiz-api');
});

t.test('CORS lets only the listed frontend send a bearer token', async (t) => {
  const { api } = await startTestApp(t, { CORS_ORIGINS: 'http://localhost:5173' });
  const preflight = (origin: string) =>
    api({
      method: 'OPTIONS',
      url: '/v1/me',
      key: null,
      headers: {
        origin,
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
  const allowed = await preflight('http://localhost:5173');
  t.equal(allowed.headers['access-control-allow-origin'], 'http://localhost:5173');
  t.match(String(allowed.headers['access-control-allow-headers']), /authorization/i);
  t.notOk(allowed.headers['access-control-allow-credentials'], 'no cookies');
  const other = await preflight('https://elsewhere.example');
  t.notOk(other.headers['access-control-allow-origin'], 'an unlisted origin gets nothing');
});
