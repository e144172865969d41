import { type Kysely, sql } from 'kysely';

/**
 * The spans of category A, index-only: EXPORT_READY counts a member from an A assessment until
 * the next one, and read them from a sequential scan of every span (a quarter of them are A).
 * Partial, so the other spans' writes do not maintain it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index readiness_spans_category_a on readiness_spans (assessed_on)
    include (until, joined_on, withdrawn_on, partner_code, region, type, women_led)
    where category = 'A'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('readiness_spans_category_a').execute();
}
