import { Webhook } from 'standardwebhooks';
import t from 'tap';
import { deliverDue } from '../../src/modules/webhooks/worker.js';
import { newMember } from '../assessments/fixtures.js';
import { startTestApp } from '../helpers/app.js';
import { startReceiver } from './receiver.js';

const INSECURE = {
  WEBHOOK_ALLOW_INSECURE_URLS: 'true',
  WEBHOOK_RETRY_BASE_MS: '1',
  WEBHOOK_TIMEOUT_MS: '500',
};

t.test('webhooks', async (t) => {
  const { api, keyFor, database, config } = await startTestApp(t, INSECURE);
  const receiver = await startReceiver(t);
  const deliver = () => deliverDue(database.db, config.webhooks);

  const subscribe = async (body: Record<string, unknown>, key?: string) => {
    const res = await api({ method: 'POST', url: '/v1/webhooks', body, ...(key ? { key } : {}) });
    t.equal(res.statusCode, 201, res.body);
    return res.json();
  };
  const log = async (id: string) =>
    (await api({ method: 'GET', url: `/v1/webhooks/${id}/deliveries?limit=100` })).json().data;
  /** The attempts for the event last received, by number. */
  const lastEventAttempts = async (id: string) => {
    const eventId = receiver.received.at(-1)?.headers['webhook-id'];
    const attempts = (await log(id)).filter((d: { eventId: string }) => d.eventId === eventId);
    return attempts.sort((a: { attempt: number }, b: { attempt: number }) => a.attempt - b.attempt);
  };
  /** Lets every retry still due go out to a receiver that accepts it. */
  const settle = async () => {
    receiver.answer(204);
    for (let idle = 0; idle < 3; ) {
      if ((await deliver()) === 0) {
        idle++;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  };

  const sub = await subscribe({
    url: `${receiver.url}/hooks`,
    types: ['member.created', 'member.updated'],
    description: 'FENIP sync',
  });

  t.test('the secret is shown once, as whsec_ and 24–64 random bytes', async (t) => {
    t.match(sub.secret, /^whsec_[A-Za-z0-9+/]+=*$/);
    const bytes = Buffer.from(sub.secret.slice(6), 'base64').length;
    t.ok(bytes >= 24 && bytes <= 64, `${bytes} bytes`);
    const read = await api({ method: 'GET', url: `/v1/webhooks/${sub.id}` });
    t.equal(read.statusCode, 200);
    t.notOk('secret' in read.json(), 'never shown again');
    t.match(read.json(), { status: 'active', types: ['member.created', 'member.updated'] });
  });

  t.test(
    'a delivery is signed per Standard Webhooks (checked by the standardwebhooks package)',
    async (t) => {
      const member = await newMember(api, 'FENIP', { name: 'Conserverie du Souss' });
      t.equal(await deliver(), 1, 'one attempt due');
      const r = receiver.received.at(-1);
      if (!r) throw new Error('nothing received');
      t.equal(r.headers['content-type'], 'application/json');
      const verified = new Webhook(sub.secret).verify(r.body, r.headers) as Record<string, unknown>;
      t.match(verified, {
        type: 'member.created',
        partnerCode: 'FENIP',
        subject: { id: member.id },
      });
      t.equal(r.headers['webhook-id'], verified.id, 'webhook-id is the event id');
      t.throws(() =>
        new Webhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`).verify(r.body, r.headers),
      );
      t.throws(
        () => new Webhook(sub.secret).verify(`${r.body} `, r.headers),
        'a changed body fails',
      );
      const [attempt] = await log(sub.id);
      t.match(attempt, {
        eventId: verified.id,
        attempt: 1,
        state: 'succeeded',
        statusCode: 204,
        error: null,
        nextAttemptAt: null,
      });
      t.type(attempt.durationMs, 'number');
    },
  );

  t.test('rotation: old and new secrets both sign for 24 h', async (t) => {
    const rotated = await api({ method: 'POST', url: `/v1/webhooks/${sub.id}/rotate-secret` });
    t.equal(rotated.statusCode, 200, rotated.body);
    const { secret } = rotated.json();
    t.not(secret, sub.secret);
    await newMember(api, 'FENIP', { name: 'Pêcheries de Dakhla' });
    t.equal(await deliver(), 1);
    const r = receiver.received.at(-1);
    if (!r) throw new Error('nothing received');
    t.equal(r.headers['webhook-signature']?.split(' ').length, 2, 'two signatures');
    t.ok(new Webhook(secret).verify(r.body, r.headers), 'the new secret verifies');
    t.ok(new Webhook(sub.secret).verify(r.body, r.headers), 'the old one too, for now');
    await database.db
      .updateTable('webhookSecrets')
      .set({ expiresAt: new Date(Date.now() - 1000).toISOString() })
      .where('secret', '=', sub.secret)
      .execute();
    await newMember(api, 'FENIP', { name: 'Pêcheries de Tan-Tan' });
    t.equal(await deliver(), 1);
    const after = receiver.received.at(-1);
    if (!after) throw new Error('nothing received');
    t.equal(
      after.headers['webhook-signature']?.split(' ').length,
      1,
      'after 24 h only the new one',
    );
    t.throws(() => new Webhook(sub.secret).verify(after.body, after.headers));
    sub.secret = secret;
  });

  t.test('failures are retried with back-off; the log shows each attempt', async (t) => {
    receiver.answer(500);
    await newMember(api, 'FENIP', { name: 'Huilerie de Meknès' });
    t.equal(await deliver(), 1);
    const [first] = await lastEventAttempts(sub.id);
    t.match(first, {
      attempt: 1,
      state: 'failed',
      statusCode: 500,
      error: 'the receiver answered 500',
    });
    t.type(first.nextAttemptAt, 'string', 'the next attempt is scheduled');
    receiver.answer(200);
    for (let i = 0; i < 50 && (await deliver()) === 0; i++)
      await new Promise((r) => setTimeout(r, 10));
    const [, second] = await lastEventAttempts(sub.id);
    t.match(second, { attempt: 2, state: 'succeeded', statusCode: 200, eventId: first.eventId });
  });

  t.test('a redirect is not followed', async (t) => {
    receiver.answer(302);
    const before = receiver.received.length;
    await newMember(api, 'FENIP', { name: 'Dattes de Zagora' });
    t.equal(await deliver(), 1);
    t.equal(receiver.received.length, before + 1, 'the target of the redirect is not requested');
    const [attempt] = await lastEventAttempts(sub.id);
    t.match(attempt, { state: 'failed', statusCode: 302, error: /redirects are not followed/ });
    await settle();
  });

  t.test('a receiver that never answers holds an attempt no longer than the timeout', async (t) => {
    receiver.answer('hang');
    await newMember(api, 'FENIP', { name: 'Miel du Tafilalet' });
    const started = Date.now();
    t.equal(await deliver(), 1);
    const took = Date.now() - started;
    t.ok(took < 500 + 1500, `the round took ${took} ms (timeout 500 ms)`);
    const [attempt] = await lastEventAttempts(sub.id);
    t.match(attempt, { state: 'failed', statusCode: null, error: 'no answer within 500 ms' });
    await settle();
  });

  t.test('manual retry sends the event again now', async (t) => {
    const [last] = await lastEventAttempts(sub.id);
    const retry = await api({
      method: 'POST',
      url: `/v1/webhooks/${sub.id}/deliveries/${last.id}/retry`,
    });
    t.equal(retry.statusCode, 202, retry.body);
    t.match(retry.json(), { eventId: last.eventId, state: 'pending' });
    let sent = 0;
    for (let i = 0; i < 20 && sent === 0; i++) sent = await deliver();
    const again = (await lastEventAttempts(sub.id)).at(-1);
    t.match(again, { eventId: last.eventId, state: 'succeeded', attempt: retry.json().attempt });
    const missing = await api({
      method: 'POST',
      url: `/v1/webhooks/${sub.id}/deliveries/01936000-0000-7000-8000-000000000000/retry`,
    });
    t.equal(missing.statusCode, 404);
  });

  t.test('410 disables the subscription', async (t) => {
    receiver.answer(410);
    await newMember(api, 'FENIP', { name: 'Argan de Tamanar' });
    t.equal(await deliver(), 1);
    const read = (await api({ method: 'GET', url: `/v1/webhooks/${sub.id}` })).json();
    t.match(read, { status: 'disabled', disabledReason: /410/ });
    await newMember(api, 'FENIP', { name: 'Safran de Taliouine' });
    t.equal(await deliver(), 0, 'nothing is sent to a disabled subscription');
    receiver.answer(204);
    const enabled = await api({
      method: 'PATCH',
      url: `/v1/webhooks/${sub.id}`,
      headers: { 'if-match': `"${read.version}"` },
      body: { status: 'active' },
    });
    t.equal(enabled.statusCode, 200, enabled.body);
    t.match(enabled.json(), { status: 'active', disabledReason: null });
    t.equal(await deliver(), 0, 'events of the disabled time are not queued (the feed has them)');
    await newMember(api, 'FENIP', { name: 'Câpres de Safi' });
    t.equal(await deliver(), 1, 'new events go out again');
  });

  t.test('partner keys: their own subscriptions and events only', async (t) => {
    const fenip = await keyFor('partner', 'FENIP');
    const amith = await keyFor('partner', 'AMITH');
    const own = await subscribe({ url: `${receiver.url}/fenip`, types: ['member.created'] }, fenip);
    t.equal(own.partnerCode, 'FENIP');
    const other = await api({
      method: 'POST',
      url: '/v1/webhooks',
      key: fenip,
      body: { url: `${receiver.url}/x`, types: ['member.created'], partnerCode: 'AMITH' },
    });
    t.equal(other.statusCode, 400);
    t.equal(
      (await api({ method: 'GET', url: `/v1/webhooks/${own.id}`, key: amith })).statusCode,
      404,
    );
    const listed = (await api({ method: 'GET', url: '/v1/webhooks', key: amith })).json();
    t.same(listed.data, []);
    t.equal(
      (await api({ method: 'POST', url: '/v1/webhooks', key: await keyFor('reporting'), body: {} }))
        .statusCode,
      403,
    );

    const before = receiver.received.filter((r) => r.body.includes('"AMITH"')).length;
    await newMember(api, 'AMITH', { name: 'Tissages de Fès' });
    await newMember(api, 'FENIP', { name: 'Sardines de Safi' });
    while ((await deliver()) > 0);
    const toFenip = receiver.received.filter(
      (r) => r.headers['webhook-id'] && r.body.includes('Sardines') === false,
    );
    t.ok(toFenip.length > 0);
    t.equal(
      receiver.received.filter((r) => r.body.includes('"AMITH"')).length,
      before + 1,
      "AMITH's member reaches the admin subscription only, not FENIP's",
    );
    const deleted = await api({ method: 'DELETE', url: `/v1/webhooks/${own.id}`, key: fenip });
    t.equal(deleted.statusCode, 204);
    t.equal(
      (await api({ method: 'GET', url: `/v1/webhooks/${own.id}`, key: fenip })).statusCode,
      404,
    );
  });

  t.test('PATCH needs If-Match', async (t) => {
    const res = await api({
      method: 'PATCH',
      url: `/v1/webhooks/${sub.id}`,
      body: { description: 'x' },
    });
    t.equal(res.statusCode, 428);
  });
});
