import { promises as fs } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { FileMigrationProvider, Migrator } from 'kysely/migration';
import t from 'tap';
import { openDatabase } from '../../src/db/database.js';
import { withoutArabic } from '../helpers/without-arabic.js';

const GRID = '01936000-0000-7000-8000-000000000001';
const migrationFolder = fileURLToPath(new URL('../../migrations', import.meta.url));
/** An Arabic letter first: a Latin character first can turn a form left to right. */
const ARABIC_FIRST = /^[\u0600-\u06FF]/;

/** Every multilingual text of a value, with its path. */
function texts(value: unknown, at = ''): { at: string; text: Record<string, string> }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => texts(v, `${at}/${i}`));
  if (typeof value !== 'object' || value === null) return [];
  const record = value as Record<string, unknown>;
  if (typeof record.fr === 'string') return [{ at, text: record as Record<string, string> }];
  return Object.entries(record).flatMap(([k, v]) => texts(v, `${at}/${k}`));
}

t.test(
  '0018 adds Arabic texts and leaves the scoring content of SIPPO-ERG v1 byte for byte',
  async (t) => {
    const folder = await mkdtemp(path.join(tmpdir(), 'jahiz-0018-'));
    const database = await openDatabase({
      databaseUrl: undefined,
      dataDir: folder,
      dbPoolMax: 1,
      statementTimeoutMs: 0,
    });
    t.teardown(async () => {
      await database.close();
      await rm(folder, { recursive: true, force: true });
    });
    const migrator = new Migrator({
      db: database.db,
      provider: new FileMigrationProvider({ fs, path, migrationFolder }),
    });
    const names = (await migrator.getMigrations()).map((m) => m.name);
    const mine = names.findIndex((n) => n.startsWith('0018_'));
    t.ok(mine > 0);
    const read = async () => {
      const grid = await sql<{ definition: string }>`
      select definition::text as definition from grids where id = ${GRID}`.execute(database.db);
      const kpis = await sql<{ code: string; name: Record<string, string> }>`
      select code, name from kpis order by code`.execute(database.db);
      return { definition: grid.rows[0]!.definition, kpis: kpis.rows };
    };
    t.same((await migrator.migrateTo(names[mine - 1]!)).error, undefined);
    const before = await read();
    t.same((await migrator.migrateTo(names[mine]!)).error, undefined);
    const after = await read();

    t.not(after.definition, before.definition, 'the texts changed');
    t.equal(
      JSON.stringify(withoutArabic(JSON.parse(after.definition))),
      JSON.stringify(JSON.parse(before.definition)),
      'without the Arabic texts, the definition is the one published',
    );
    t.same(
      texts(JSON.parse(before.definition)).filter((x) => x.text.ar !== undefined),
      [],
    );
    const translated = texts(JSON.parse(after.definition));
    t.ok(translated.length > 100);
    const missing = translated.filter((x) => !x.text.ar || !ARABIC_FIRST.test(x.text.ar));
    t.same(
      missing.map((x) => x.at),
      [],
      'every text has Arabic, beginning with an Arabic letter',
    );

    t.same(
      before.kpis.filter((k) => k.name.ar !== undefined),
      [],
    );
    t.same(
      after.kpis.filter((k) => !k.name.ar || !ARABIC_FIRST.test(k.name.ar)).map((k) => k.code),
      [],
      'every seeded KPI has an Arabic name',
    );
    t.same(
      after.kpis.map((k) => ({ ...k, name: { fr: k.name.fr, en: k.name.en } })),
      before.kpis,
      'French and English names kept',
    );
  },
);
