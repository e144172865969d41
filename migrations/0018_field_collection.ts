import { type Kysely, sql } from 'kysely';
import { DEFAULT_GRID_ID, GRID_ARABIC, KPI_ARABIC } from './data/0018_arabic_texts.js';

/**
 * Field collection (docs/field-collection.md) and Arabic texts.
 * - `assessments.submission_id`: the stable id of the Kobo or ODK Central submission an
 *   assessment was imported from (`kobo:<rootUuid>`, `odk:<__id>`), unique per partner, so that
 *   importing it again finds it.
 * - The Arabic texts of the default grid SIPPO-ERG v1 and of the seeded KPIs, from
 *   data/0018_arabic_texts.ts. Texts only, and only where Arabic is missing: a published grid's
 *   scoring content (codes, weights, answers, knock-outs, applicability) is left byte for byte.
 *   Versions and revisions stay: a translation shipped with the service is not an edit, and
 *   clients holding `If-Match` on a seeded KPI or the default grid keep working.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('assessments').addColumn('submission_id', 'text').execute();
  await sql`create unique index assessments_submission on assessments (partner_code, submission_id) where submission_id is not null`.execute(
    db,
  );
  await addGridArabic(db);
  for (const [code, ar] of Object.entries(KPI_ARABIC)) {
    await sql`update kpis set name = name || jsonb_build_object('ar', ${ar}::text)
      where code = ${code} and not name ? 'ar'`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('assessments_submission').execute();
  await db.schema.alterTable('assessments').dropColumn('submission_id').execute();
}

type Text = { fr: string; en: string; ar?: string };

/** Adds `ar` to a text that has none. */
function withArabic(text: Text | undefined, ar: string | undefined): Text | undefined {
  if (text === undefined || ar === undefined || text.ar !== undefined) return text;
  return { ...text, ar };
}

async function addGridArabic(db: Kysely<any>) {
  const row = await db
    .selectFrom('grids')
    .select('definition')
    .where('id', '=', DEFAULT_GRID_ID)
    .executeTakeFirst();
  if (row === undefined) return;
  const def = typeof row.definition === 'string' ? JSON.parse(row.definition) : row.definition;
  def.title = withArabic(def.title, GRID_ARABIC.title);
  if (def.description) def.description = withArabic(def.description, GRID_ARABIC.description);
  for (const category of def.categories) {
    category.label = withArabic(category.label, GRID_ARABIC.categories[category.code]);
  }
  for (const dimension of def.dimensions) {
    dimension.title = withArabic(dimension.title, GRID_ARABIC.dimensions[dimension.code]);
    for (const criterion of dimension.criteria) {
      const ar = GRID_ARABIC.criteria[criterion.code];
      if (ar === undefined) continue;
      criterion.title = withArabic(criterion.title, ar.title);
      criterion.recommendation = withArabic(criterion.recommendation, ar.recommendation);
      if (criterion.help) criterion.help = withArabic(criterion.help, ar.help);
      for (const option of criterion.answer.options ?? []) {
        if (option.label) option.label = withArabic(option.label, ar.options?.[option.code]);
      }
    }
  }
  await db
    .updateTable('grids')
    .set({ definition: JSON.stringify(def) })
    .where('id', '=', DEFAULT_GRID_ID)
    .execute();
}
