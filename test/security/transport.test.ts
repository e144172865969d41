import { connect } from 'node:net';
import t from 'tap';
import { ADMIN_KEY, startTestApp } from '../helpers/app.js';
import { memberBody } from '../members/fixtures.js';

t.test('a slow request body is cut at REQUEST_TIMEOUT_MS', async (t) => {
  const { app } = await startTestApp(t, { REQUEST_TIMEOUT_MS: '1000' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const socket = connect(port, '127.0.0.1');
  t.teardown(() => socket.destroy());
  const started = Date.now();
  const ended = new Promise<{ ms: number; text: string }>((resolve) => {
    let text = '';
    socket.on('data', (d) => {
      text += d;
    });
    socket.on('close', () => resolve({ ms: Date.now() - started, text }));
    // Bounded: a server that never cuts the body fails the test here, not at tap's timeout.
    setTimeout(() => resolve({ ms: Date.now() - started, text: 'still open' }), 8000).unref();
  });
  socket.write(
    'POST /v1/partners HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
      `Authorization: Bearer ${ADMIN_KEY}\r\nContent-Type: application/json\r\n` +
      'Content-Length: 100\r\n\r\n{"code":',
  );
  // A byte every 200 ms: never idle long enough for an idle timeout, never complete.
  const drip = setInterval(() => socket.write(' '), 200);
  t.teardown(() => clearInterval(drip));
  const { ms, text } = await ended;
  clearInterval(drip);
  t.ok(ms < 2600, `cut after ${ms} ms`);
  t.match(text, /^HTTP\/1\.1 408/, 'answered 408');
});

t.test('every /v1 answer says Cache-Control: no-store', async (t) => {
  const { api, app } = await startTestApp(t);
  const key = await api({
    method: 'POST',
    url: '/v1/api-keys',
    body: { name: 'sync', role: 'partner', partnerCode: 'FENIP' },
  });
  t.equal(key.statusCode, 201);
  const member = await api({ method: 'POST', url: '/v1/members', body: memberBody() });
  const answers = [
    key,
    member,
    await api({ method: 'GET', url: `/v1/members/${member.json().id}` }),
    await api({ method: 'GET', url: '/v1/members' }),
    await api({ method: 'GET', url: '/v1/partners', key: 'jz_wrong' }),
    await api({ method: 'GET', url: '/v1/nothing-here' }),
  ];
  for (const res of answers) t.equal(res.headers['cache-control'], 'no-store', `${res.statusCode}`);
  const live = await app.inject({ method: 'GET', url: '/health/live' });
  t.equal(live.statusCode, 200);
});

t.test('a key in the URL is refused and never logged', async (t) => {
  const { api, logs } = await startTestApp(t);
  for (const name of ['api_key', 'apiKey', 'access_token', 'token', 'key']) {
    const res = await api({ method: 'GET', url: `/v1/partners?${name}=${ADMIN_KEY}`, key: null });
    t.equal(res.statusCode, 400, name);
    t.match(res.json(), {
      type: 'urn:jahiz:problem:credentials-in-url',
      errors: [{ parameter: name }],
    });
    t.notOk(res.body.includes(ADMIN_KEY), 'not echoed');
  }
  const withHeader = await api({ method: 'GET', url: `/v1/partners?api_key=${ADMIN_KEY}` });
  t.equal(withHeader.statusCode, 400, 'refused even beside a valid header');
  const lines = logs.filter((l) => l.msg === 'request completed');
  t.ok(lines.length >= 6);
  t.notOk(JSON.stringify(logs).includes(ADMIN_KEY), 'the key is in no log line');
  t.match(String(lines[0]?.url), /api_key=\[redacted\]/);
});

t.test('calendar dates are refused outside 1900-01-01 … 2099-12-31', async (t) => {
  const { api } = await startTestApp(t);
  const member = await api({ method: 'POST', url: '/v1/members', body: memberBody() });
  const activity = (startsOn: string, endsOn: string) =>
    api({
      method: 'POST',
      url: '/v1/activities',
      body: {
        type: 'training',
        mode: 'physical',
        title: 'Export pricing',
        partnerCode: 'ASMEX',
        startsOn,
        endsOn,
        country: 'MA',
        participants: [{ memberId: member.json().id, women: 3, men: 1 }],
      },
    });
  const far = await activity('2026-03-01', '9999-12-31');
  t.equal(far.statusCode, 400);
  t.match(far.json().errors, [{ pointer: '/endsOn', message: /from 1900-01-01 to 2099-12-31/ }]);
  t.equal((await activity('1899-12-31', '2026-03-01')).statusCode, 400);
  t.equal((await activity('2026-02-30', '2026-03-01')).statusCode, 400, 'not a real day');
  t.equal((await activity('2026-03-01', '2099-12-31')).statusCode, 201, 'the last day accepted');
  const joined = await api({
    method: 'POST',
    url: '/v1/members',
    body: memberBody({ joinedOn: '0202-01-01', name: 'Other' }),
  });
  t.equal(joined.statusCode, 400, 'members too');
  const query = await api({ method: 'GET', url: '/v1/activities?from=9999-01-01' });
  t.equal(query.statusCode, 400, 'query dates too');
});
