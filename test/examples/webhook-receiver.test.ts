import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { type DeliveredEvent, webhookReceiver } from '../../examples/webhook-receiver.js';
import { deliverDue } from '../../src/modules/webhooks/worker.js';
import { newMember } from '../assessments/fixtures.js';
import { startTestApp } from '../helpers/app.js';

const INSECURE = { WEBHOOK_ALLOW_INSECURE_URLS: 'true', WEBHOOK_TIMEOUT_MS: '2000' };

t.test('the example receiver verifies jahiz deliveries and handles each event once', async (t) => {
  const { api, database, config } = await startTestApp(t, INSECURE);
  const handled: DeliveredEvent[] = [];
  const secrets: string[] = [];
  const server = http.createServer(
    // The secret is known only once subscribed: read it at each request.
    (req, res) =>
      webhookReceiver({ secrets, onEvent: (e) => void handled.push(e), seen })(req, res),
  );
  const seen = new Set<string>();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.teardown(() => server.close());
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;

  const subscribed = await api({
    method: 'POST',
    url: '/v1/webhooks',
    body: { url, types: ['member.created'], description: 'example receiver' },
  });
  t.equal(subscribed.statusCode, 201, subscribed.body);
  secrets.push(subscribed.json().secret);

  const member = await newMember(api, 'FENIP');
  while ((await deliverDue(database.db, config.webhooks)) > 0);
  t.same(
    handled.map((e) => [e.type, e.subject.id]),
    [['member.created', member.id]],
    'the signed delivery was verified and handled',
  );
  const log = await api({ method: 'GET', url: `/v1/webhooks/${subscribed.json().id}/deliveries` });
  const [delivery] = log.json().data;
  t.match(delivery, { state: 'succeeded', statusCode: 204 }, 'jahiz saw the 204');

  // A manual retry sends the same event again: the receiver answers 204 and handles it once.
  const retried = await api({
    method: 'POST',
    url: `/v1/webhooks/${subscribed.json().id}/deliveries/${delivery.id}/retry`,
  });
  t.equal(retried.statusCode, 202, retried.body);
  while ((await deliverDue(database.db, config.webhooks)) > 0);
  const again = await api({
    method: 'GET',
    url: `/v1/webhooks/${subscribed.json().id}/deliveries`,
  });
  t.equal(again.json().data.length, 2, 'delivered a second time');
  t.match(again.json().data, [{ statusCode: 204 }, { statusCode: 204 }]);
  t.equal(handled.length, 1, 'handled once');

  const forged = await fetch(url, {
    method: 'POST',
    headers: {
      'webhook-id': 'msg_forged',
      'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
      'webhook-signature': 'v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
    },
    body: JSON.stringify({ id: 'forged', type: 'member.created', subject: {}, data: {} }),
  });
  t.equal(forged.status, 401, 'an unsigned body is refused');
  t.equal(handled.length, 1, 'and not handled');
});
