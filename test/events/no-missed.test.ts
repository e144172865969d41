import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import type { Db } from '../../src/db/database.js';
import { type EventInput, recordEvents } from '../../src/modules/events/outbox.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { feedCaughtUp } from '../helpers/feed.js';

/**
 * No event is ever missed: writers whose transactions commit in another order than they wrote
 * their events, and a poller following the feed all along. On PostgreSQL the commits really
 * interleave (a feed ordered by a plain sequence loses events here); the embedded database runs
 * one transaction at a time, where the test still checks order and completeness.
 */

const event = (subject: string): EventInput => ({
  type: 'member.updated',
  partnerCode: 'FENIP',
  subject: { kind: 'member', id: subject },
  data: { version: 1, changedFields: ['city'] },
  actor: null,
});

interface Poller {
  seen: string[];
  cursors: string[];
  stop(): Promise<void>;
}

/**
 * Polls the feed as fast as it answers until stopped, then drains what is left. The feed holds
 * back events while an older write transaction runs anywhere on the server (other test files
 * share it), so the drain first waits for the feed to have caught up: an empty page alone does
 * not mean the poller has everything. An event its cursor had passed would still never come.
 */
function startPoller(api: TestApp['api'], db: Db): Poller {
  const seen: string[] = [];
  const cursors: string[] = [];
  let after = '';
  let running = true;
  const poll = async () => {
    const url = `/v1/events?limit=100${after ? `&after=${after}` : ''}`;
    const res = await api({ method: 'GET', url });
    if (res.statusCode !== 200) throw new Error(`feed: ${res.statusCode} ${res.body}`);
    const body = res.json();
    seen.push(...body.data.map((e: { subject: { id: string } }) => e.subject.id));
    after = body.nextCursor;
    cursors.push(after);
    return body.hasMore as boolean;
  };
  const loop = (async () => {
    while (running) {
      await poll();
      await sleep(1);
    }
    await feedCaughtUp(db, 30_000);
    while (await poll());
  })();
  return {
    seen,
    cursors,
    async stop() {
      running = false;
      await loop;
    },
  };
}

async function allEvents(api: TestApp['api']) {
  const ids: string[] = [];
  let after = '';
  for (;;) {
    const res = await api({
      method: 'GET',
      url: `/v1/events?limit=100${after ? `&after=${after}` : ''}`,
    });
    const body = res.json();
    ids.push(...body.data.map((e: { subject: { id: string } }) => e.subject.id));
    after = body.nextCursor;
    if (!body.hasMore) return ids;
  }
}

t.test('a poller never misses an event, however commits interleave', async (t) => {
  const { api, database } = await startTestApp(t);
  const committed: string[] = [];
  const poller = startPoller(api, database.db);

  const WRITERS = 6;
  const TRANSACTIONS = 10;
  const writer = async (w: number) => {
    for (let i = 0; i < TRANSACTIONS; i++) {
      const subjects = Array.from({ length: 1 + ((w + i) % 3) }, (_, k) => `w${w}-t${i}-e${k}`);
      await database.db.transaction().execute(async (trx) => {
        await recordEvents(trx, subjects.map(event));
        // Hold the transaction open a while after taking positions: others commit meanwhile.
        await sleep(Math.floor(Math.random() * 12));
      });
      committed.push(...subjects);
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));

  if (database.mode === 'postgres') {
    // One interleaving forced outright: A takes its position first and commits last.
    let releaseA: () => void = () => undefined;
    const aWaits = new Promise<void>((resolve) => {
      releaseA = resolve;
    });
    let aWrote: () => void = () => undefined;
    const aHasWritten = new Promise<void>((resolve) => {
      aWrote = resolve;
    });
    const a = database.db.transaction().execute(async (trx) => {
      await recordEvents(trx, [event('forced-A')]);
      aWrote();
      await aWaits;
    });
    await aHasWritten;
    await database.db.transaction().execute((trx) => recordEvents(trx, [event('forced-B')]));
    committed.push('forced-B');
    // The poller reads the feed twice more while A is still open (with a plain sequence it
    // would pass B's position there, and never come back for A's).
    const polls = poller.cursors.length;
    while (poller.cursors.length < polls + 2) await sleep(2);
    releaseA();
    await a;
    committed.push('forced-A');
  }
  await poller.stop();

  t.equal(poller.seen.length, committed.length, 'as many events seen as committed');
  t.same(new Set(poller.seen), new Set(committed), 'the poller saw every event committed');
  t.equal(new Set(poller.seen).size, poller.seen.length, 'and none twice');
  t.same(poller.seen, await allEvents(api), 'in the order a later full read gives');
  // Each transaction's events stay together and in the order written.
  const order = poller.seen.filter((s) => s.startsWith('w'));
  for (let i = 1; i < order.length; i++) {
    const [w, tx, e] = (order[i] as string).split('-');
    const [pw, ptx, pe] = (order[i - 1] as string).split('-');
    if (w === pw && tx === ptx && Number(e?.slice(1)) !== Number(pe?.slice(1)) + 1) {
      t.fail(`events of ${w}-${tx} out of order`);
    }
  }
  t.ok(poller.cursors.length > 1, `the poller polled (${poller.cursors.length} times)`);
});
