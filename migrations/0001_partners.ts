import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('partners')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('short_name', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db
    .insertInto('partners')
    .values([
      { code: 'ASMEX', short_name: 'ASMEX', name: 'Association Marocaine des Exportateurs' },
      {
        code: 'FENIP',
        short_name: 'FENIP',
        name: 'Fédération Nationale des Industries de la Pêche',
      },
      {
        code: 'AMITH',
        short_name: 'AMITH',
        name: "Association Marocaine des Industries du Textile et de l'Habillement",
      },
    ])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('partners').execute();
}
