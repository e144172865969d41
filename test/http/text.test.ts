import t from 'tap';
import { startTestApp } from '../helpers/app.js';
import { memberBody } from '../members/fixtures.js';

const MESSAGE = /must not contain control characters/;

t.test('control characters are refused in text fields', async (t) => {
  const { api } = await startTestApp(t);
  const pointers = (body: string) =>
    (JSON.parse(body).errors as { pointer?: string; message: string }[])
      .filter((e) => MESSAGE.test(e.message))
      .map((e) => e.pointer);

  t.test('single-line fields of every module', async (t) => {
    const member = await api({
      method: 'POST',
      url: '/v1/members',
      body: memberBody({ partnerCode: 'FENIP', name: 'Coop\u0007', city: 'Fès\nMeknès' }),
    });
    t.equal(member.statusCode, 400, member.body);
    t.same(pointers(member.body).sort(), ['/city', '/name']);
    const kpi = {
      code: 'TEXTS',
      name: { fr: 'Nom\u001b[31m', en: 'Name\r' },
      resultLevel: 'output',
      measure: 'unit',
      unit: 'u\u0000',
      ascending: true,
      source: 'reported',
      cumulation: 'period',
      dimensions: [],
    };
    const res = await api({ method: 'POST', url: '/v1/kpis', body: kpi });
    t.equal(res.statusCode, 400, res.body);
    t.same(pointers(res.body).sort(), ['/name/en', '/name/fr', '/unit']);
  });

  t.test('multi-line fields allow tab and line breaks, nothing else', async (t) => {
    const kpi = {
      code: 'TEXTS',
      name: { fr: 'Nom', en: 'Name' },
      description: { fr: 'Ligne 1\r\nLigne 2\tfin', en: 'Line 1\nLine 2' },
      resultLevel: 'output',
      measure: 'unit',
      unit: 'u',
      ascending: true,
      source: 'reported',
      cumulation: 'period',
      dimensions: [],
    };
    t.equal((await api({ method: 'POST', url: '/v1/kpis', body: kpi })).statusCode, 201);
    const value = (comment: string) =>
      api({
        method: 'POST',
        url: '/v1/kpi-values',
        body: {
          values: [{ kpi: 'TEXTS', period: '2025', partnerCode: 'FENIP', value: 1, comment }],
        },
      });
    t.equal((await value('Source :\n- rapport\n- enquête')).statusCode, 200);
    const bad = await value('bell\u0007');
    t.equal(bad.statusCode, 400, bad.body);
    t.same(pointers(bad.body), ['/values/0/comment']);
  });

  t.test('query parameters too', async (t) => {
    const res = await api({ method: 'GET', url: '/v1/members?q=a%07b' });
    t.equal(res.statusCode, 400, res.body);
    t.match(res.body, MESSAGE);
  });
});
