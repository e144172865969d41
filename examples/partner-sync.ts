/**
 * A partner system's nightly sync with jahiz, written against the typed client
 * (clients/typescript). It walks through docs/sync.md:
 *
 * 1. Upsert every local member by its own id: `PUT /v1/partners/{code}/members/{externalRef}`
 *    without If-Match. jahiz accepts it when the member is new, unchanged, or last written by
 *    this same key.
 * 2. A 428 means someone else (e.g. the programme team) wrote the current version: read the
 *    member, merge — the fields this system owns from the local record, every other field as
 *    jahiz holds it — and send the merge with `If-Match` (a 412 means it changed again: retry).
 * 3. Learn what jahiz decided (readiness, corrections): `GET /v1/members?updatedSince=…`, page
 *    by page, and keep the latest `updatedAt` seen for the next night.
 * 4. Follow the change feed `GET /v1/events?after=…` (docs/events-and-webhooks.md): every
 *    event since the cursor stored last night, in order, without gaps; store `nextCursor`.
 * 5. Or be told at once: a webhook subscription pushes the same events; its receiver verifies
 *    each signature and handles each event once (examples/webhook-receiver.ts).
 *
 * Run against a service: `JAHIZ_URL=… JAHIZ_API_KEY=… JAHIZ_PARTNER=FENIP
 * npx tsx examples/partner-sync.ts members.json [updatedSince]` (members.json: an array of
 * members as the partner system holds them, each with its `externalRef`).
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import {
  createJahizClient,
  type JahizClient,
  type Member,
  type NewMember,
  type operations,
  versionTag,
} from '../clients/typescript/index.js';

/** An event of the change feed, as the contract types it. */
type Event =
  operations['listEvents']['responses'][200]['content']['application/json']['data'][number];

/** A member as the partner system holds it: the fields it owns, with its own id. */
export type LocalMember = Omit<NewMember, 'partnerCode'> & { externalRef: string };

export interface SyncOptions {
  baseUrl: string;
  apiKey: string;
  partnerCode: string;
  members: readonly LocalMember[];
  /** The `nextUpdatedSince` of the previous night (omit on the first run). */
  updatedSince?: string;
  /** The `nextEventCursor` of the previous night (omit on the first run: from the oldest). */
  eventCursor?: string;
}

export interface SyncReport {
  /** externalRef → what the upsert did: created, replaced (or unchanged), merged after a 428. */
  upserts: Record<string, 'created' | 'replaced' | 'merged'>;
  /** Members changed in jahiz since `updatedSince` (this night's writes included). */
  changed: Member[];
  /** Store it and pass it as `updatedSince` next night. */
  nextUpdatedSince: string | undefined;
  /** The feed's events since `eventCursor`, oldest first. */
  events: Event[];
  /** Store it and pass it as `eventCursor` next night. */
  nextEventCursor: string;
}

/** The fields of a member a PUT writes (the rest — id, version, readiness… — are jahiz's). */
const WRITABLE = [
  'externalRef',
  'type',
  'name',
  'legalForm',
  'ice',
  'taxId',
  'rc',
  'region',
  'province',
  'city',
  'remoteArea',
  'womenLed',
  'membersCount',
  'employees',
  'products',
  'certifications',
  'exportMarkets',
  'targetMarkets',
  'digital',
  'joinedOn',
  'contacts',
] as const satisfies readonly (keyof NewMember & keyof Member)[];

/**
 * The merge after a 428: every writable field as jahiz holds it, then the fields the local
 * record has (those this system owns) on top. A field the local record leaves out — say the
 * `city` the programme team corrected — is kept.
 */
export function mergeForPut(current: Member, local: LocalMember): NewMember {
  const merged: Record<string, unknown> = {};
  for (const field of WRITABLE) merged[field] = current[field];
  for (const [field, value] of Object.entries(local))
    if (value !== undefined) merged[field] = value;
  return merged as NewMember;
}

async function upsert(client: JahizClient, code: string, local: LocalMember) {
  const path = { code, externalRef: local.externalRef };
  const put = (body: NewMember, ifMatch?: string) =>
    client.PUT('/v1/partners/{code}/members/{externalRef}', {
      params: { path, ...(ifMatch ? { header: { 'if-match': ifMatch } } : {}) },
      body,
    });
  const first = await put(local);
  if (first.data) return first.response.status === 201 ? 'created' : 'replaced';
  if (first.response.status !== 428) throw failure(local, first.response.status, first.error);
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const current = await client.GET('/v1/partners/{code}/members/{externalRef}', {
      params: { path },
    });
    if (!current.data) throw failure(local, current.response.status, current.error);
    const merged = await put(mergeForPut(current.data, local), versionTag(current.data.version));
    if (merged.data) return 'merged';
    if (merged.response.status !== 412) throw failure(local, merged.response.status, merged.error);
  }
  throw new Error(`${local.externalRef}: it kept changing while we merged; try again tomorrow`);
}

function failure(local: LocalMember, status: number, problem: unknown) {
  return new Error(`${local.externalRef}: ${status} ${JSON.stringify(problem)}`);
}

/** Every member changed since the instant, following `nextCursor` to the end. */
async function changedSince(client: JahizClient, updatedSince: string | undefined) {
  const changed: Member[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.GET('/v1/members', {
      params: {
        query: {
          limit: 100,
          ...(updatedSince ? { updatedSince } : {}),
          ...(cursor ? { cursor } : {}),
        },
      },
    });
    if (!page.data) throw new Error(`listing members: ${JSON.stringify(page.error)}`);
    changed.push(...page.data.data);
    cursor = page.data.nextCursor ?? undefined;
  } while (cursor);
  return changed;
}

/** Every event after the cursor, polling again at once while the feed says `hasMore`. */
async function followFeed(client: JahizClient, after: string | undefined) {
  const events: Event[] = [];
  let cursor = after;
  for (;;) {
    const page = await client.GET('/v1/events', {
      params: { query: { limit: 100, ...(cursor ? { after: cursor } : {}) } },
    });
    if (!page.data) throw new Error(`reading the feed: ${JSON.stringify(page.error)}`);
    events.push(...page.data.data);
    cursor = page.data.nextCursor;
    if (!page.data.hasMore) return { events, nextEventCursor: cursor };
  }
}

/** One night: upsert every local member, then read what changed in jahiz. */
export async function nightlySync(options: SyncOptions): Promise<SyncReport> {
  const client = createJahizClient({ baseUrl: options.baseUrl, apiKey: options.apiKey });
  const upserts: SyncReport['upserts'] = {};
  for (const local of options.members)
    upserts[local.externalRef] = await upsert(client, options.partnerCode, local);
  const changed = await changedSince(client, options.updatedSince);
  // Rows written in transactions still open may commit with an earlier updatedAt: overlap a
  // little (docs/sync.md) — an upsert seen twice is harmless.
  const latest = changed
    .map((m) => m.updatedAt)
    .sort()
    .at(-1);
  const nextUpdatedSince = latest
    ? new Date(Date.parse(latest) - 60_000).toISOString()
    : options.updatedSince;
  const feed = await followFeed(client, options.eventCursor);
  return { upserts, changed, nextUpdatedSince, ...feed };
}

async function main() {
  const [file, updatedSince] = process.argv.slice(2);
  const { JAHIZ_URL, JAHIZ_API_KEY, JAHIZ_PARTNER } = process.env;
  if (!file || !JAHIZ_URL || !JAHIZ_API_KEY || !JAHIZ_PARTNER) {
    console.error(
      'usage: JAHIZ_URL=… JAHIZ_API_KEY=… JAHIZ_PARTNER=… partner-sync.ts FILE [SINCE]',
    );
    process.exitCode = 2;
    return;
  }
  const members = JSON.parse(await readFile(file, 'utf8')) as LocalMember[];
  const report = await nightlySync({
    baseUrl: JAHIZ_URL,
    apiKey: JAHIZ_API_KEY,
    partnerCode: JAHIZ_PARTNER,
    members,
    ...(updatedSince ? { updatedSince } : {}),
  });
  const counts = { changed: report.changed.length, events: report.events.length };
  console.log(JSON.stringify({ ...report, ...counts }, null, 2));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
