import t from 'tap';
import { startTestApp } from './helpers/app.js';

t.test('health and partners', async (t) => {
  const { api } = await startTestApp(t);
  const live = await api({ method: 'GET', url: '/health/live', key: null });
  t.equal(live.statusCode, 200);
  const ready = await api({ method: 'GET', url: '/health/ready', key: null });
  t.equal(ready.statusCode, 200);
  const partners = await api({ method: 'GET', url: '/v1/partners' });
  t.same(
    partners.json().data.map((p: { code: string }) => p.code),
    ['AMITH', 'ASMEX', 'FENIP'],
  );
});
