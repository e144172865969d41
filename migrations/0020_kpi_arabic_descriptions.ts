import { type Kysely, sql } from 'kysely';
import { KPI_ARABIC_DESCRIPTIONS } from './data/0020_kpi_arabic_descriptions.js';

/**
 * Arabic descriptions of the seeded KPIs, only where a description exists without Arabic (an
 * operator's own text is kept). Like migration 0018, a translation shipped with the service is
 * not an edit: versions stay.
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const [code, ar] of Object.entries(KPI_ARABIC_DESCRIPTIONS)) {
    await sql`update kpis set description = description || jsonb_build_object('ar', ${ar}::text)
      where code = ${code} and description is not null and not description ? 'ar'`.execute(db);
  }
}

export async function down(): Promise<void> {
  // Texts only: nothing to undo in the schema.
}
