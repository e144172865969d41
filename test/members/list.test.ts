import t from 'tap';
import { startTestApp } from '../helpers/app.js';
import { iceFor, memberBody } from './fixtures.js';

t.test('member list: filters and cursor pagination', async (t) => {
  const { api, keyFor } = await startTestApp(t);
  const create = async (overrides: Record<string, unknown>) => {
    const res = await api({ method: 'POST', url: '/v1/members', body: memberBody(overrides) });
    if (res.statusCode !== 201) throw new Error(res.body);
    return res.json() as { id: string; name: string };
  };
  const saffron = await create({ ice: iceFor(1), name: 'Coopérative Safran Taliouine' });
  const roses = await create({
    ice: iceFor(2),
    name: 'Coopérative des Roses de Kelâat',
    region: 'MA-08',
    province: 'MA-TIN',
    products: [{ hsCode: '3301.29' }, { hsCode: '0910.20' }],
  });
  const sardines = await create({
    ice: iceFor(3),
    partnerCode: 'FENIP',
    type: 'company',
    name: 'Conserverie ÉTOILE 50%_off',
    region: 'MA-09',
    province: 'MA-AGD',
    remoteArea: false,
    womenLed: false,
    products: [{ hsCode: '160413' }],
  });
  const apparel = await create({
    ice: iceFor(4),
    partnerCode: 'AMITH',
    type: 'company',
    name: 'Textile Atlas',
    region: 'MA-06',
    province: 'MA-CAS',
    remoteArea: false,
    womenLed: true,
    products: [{ hsCode: '6109.10' }],
  });

  const ids = async (query: string, key?: string) => {
    const res = await api({ method: 'GET', url: `/v1/members${query}`, ...(key ? { key } : {}) });
    if (res.statusCode !== 200) throw new Error(res.body);
    return res.json().data.map((m: { id: string }) => m.id);
  };

  t.test('each filter', async (t) => {
    t.same(await ids(''), [saffron.id, roses.id, sardines.id, apparel.id], 'id order');
    t.same(await ids('?partner=FENIP'), [sardines.id]);
    t.same(await ids('?type=company'), [sardines.id, apparel.id]);
    t.same(await ids('?region=MA-08'), [roses.id]);
    t.same(await ids('?province=MA-AGD'), [sardines.id]);
    t.same(await ids('?womenLed=false'), [sardines.id]);
    t.same(await ids('?remoteArea=true'), [saffron.id, roses.id]);
    t.same(await ids('?status=active&type=cooperative'), [saffron.id, roses.id]);
    t.same(await ids('?status=withdrawn'), []);
    t.same(await ids('?category=A'), [], 'no readiness yet');
    t.same(await ids('?hsCode=0910.20'), [saffron.id, roses.id]);
    t.same(await ids('?hsCode=330129'), [roses.id]);
    t.same(await ids('?q=kelaat'), [roses.id], 'accent-insensitive');
    t.same(await ids('?q=COOP'), [saffron.id, roses.id], 'case-insensitive');
    t.same(await ids('?q=etoile'), [sardines.id]);
    t.same(await ids('?q=50%25_'), [sardines.id], 'wildcards are literal');
    t.same(await ids('?q=5%25%25'), [], 'a literal % only');
  });

  t.test('bad query values are 400 naming the parameter', async (t) => {
    for (const query of [
      '?region=MA-13',
      '?limit=0',
      '?limit=101',
      '?womenLed=maybe',
      '?cursor=abc',
      '?foo=1',
    ]) {
      const res = await api({ method: 'GET', url: `/v1/members${query}` });
      t.equal(res.statusCode, 400, query);
      t.ok(res.json().errors[0].parameter, `${query} names a parameter`);
    }
  });

  t.test('a partner key lists its own members only', async (t) => {
    const fenip = await keyFor('partner', 'FENIP');
    t.same(await ids('', fenip), [sardines.id]);
    t.same(await ids('?partner=ASMEX', fenip), [], 'another partner is never revealed');
    t.same(await ids('?q=coop', fenip), []);
  });

  t.test('pages neither skip nor repeat rows while others insert', async (t) => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let inserted = 0;
    do {
      const query: string = `?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await api({ method: 'GET', url: `/v1/members${query}` });
      t.equal(res.statusCode, 200);
      const page = res.json();
      seen.push(...page.data.map((m: { id: string }) => m.id));
      cursor = page.nextCursor;
      if (cursor && inserted < 3) {
        await create({ ice: iceFor(100 + inserted), name: `Late ${inserted}` });
        inserted += 1;
      }
    } while (cursor);
    t.equal(new Set(seen).size, seen.length, 'no repeats');
    const all = await ids('?limit=100');
    t.same(seen, all, 'every row, in order');
    t.ok(seen.includes(apparel.id));
  });
});
