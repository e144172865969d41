import ExcelJS from 'exceljs';
import t from 'tap';
import { startTestApp } from '../helpers/app.js';
import { buildScenario } from './scenario.js';

/** Each sheet's rows as arrays of cell values (numbers stay numbers), header first. */
async function sheetsOf(buffer: Buffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  const sheets: Record<string, unknown[][]> = {};
  workbook.eachSheet((sheet) => {
    const rows: unknown[][] = [];
    sheet.eachRow({ includeEmpty: false }, (row) => {
      const values: unknown[] = [];
      for (let c = 1; c <= sheet.columnCount; c++) values.push(row.getCell(c).value ?? null);
      rows.push(values);
    });
    sheets[sheet.name] = rows;
  });
  return sheets;
}

t.test(
  'GET /v1/reports/kpis.xlsx: the CSV rows with typed cells and the definitions',
  async (t) => {
    const testApp = await startTestApp(t);
    await buildScenario(testApp);
    const { api, keyFor } = testApp;
    const query = 'period=2025&kpi=MEMBERS_ACTIVE,PEOPLE_TRAINED&by=partner,sex';
    const res = await api({ method: 'GET', url: `/v1/reports/kpis.xlsx?${query}` });
    t.equal(res.statusCode, 200, res.body);
    t.equal(
      res.headers['content-type'],
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    t.match(res.headers['content-disposition'], /filename="kpis-2025.xlsx"/);
    const sheets = await sheetsOf(res.rawPayload);
    t.same(Object.keys(sheets), ['report', 'definitions']);
    const report = sheets.report ?? [];
    t.same(report[0], [
      'kpi',
      'name_fr',
      'period',
      'partner',
      'sex',
      'unit',
      'baseline',
      'target',
      'actual',
      'achievement',
      'name_en',
      'name_ar',
    ]);
    t.same(report[1], [
      'MEMBERS_ACTIVE',
      'Membres actifs accompagnés',
      '2025',
      null,
      null,
      'members',
      null,
      null,
      4,
      null,
      'Active supported members',
      'الأعضاء النشيطون المستفيدون من المواكبة',
    ]);
    t.equal(typeof report[1]?.[8], 'number', 'actual is a numeric cell');
    // The same rows as the CSV, line for line.
    const csv = await api({ method: 'GET', url: `/v1/reports/kpis.csv?${query}` });
    const csvLines = csv.rawPayload.subarray(3).toString('utf8').trim().split('\r\n');
    t.equal(report.length, csvLines.length, 'as many rows as the CSV');
    t.same(
      report.map((r) => r.map((c) => (c === null ? '' : String(c))).join(',')),
      csvLines.map((l) => l.replace(/"/g, '')),
    );

    const definitions = sheets.definitions ?? [];
    t.equal(definitions[0]?.[0], 'kpi');
    t.same(
      definitions.slice(1).map((r) => r[0]),
      ['MEMBERS_ACTIVE', 'PEOPLE_TRAINED'],
    );
    t.match(String(definitions[1]?.[4]), /active on the last day of the period/);
    const arabicColumns = (row: unknown[] | undefined) => row?.slice(-2);
    t.same(arabicColumns(definitions[0]), ['name_ar', 'description_ar'], 'Arabic columns last');
    t.same(
      arabicColumns(definitions[1]),
      [
        'الأعضاء النشيطون المستفيدون من المواكبة',
        'عدد الأعضاء النشيطين في آخر يوم من الفترة: انخرطوا في ذلك اليوم أو قبله ولم ينسحبوا في ذلك اليوم أو قبله.',
      ],
      'the seeded Arabic name and description (migration 0020)',
    );

    // A KPI defined with Arabic texts: its Arabic description in the definitions sheet.
    const roseOil = {
      fr: 'Litres d’huile de rose exportés',
      en: 'Litres of rose oil exported',
      ar: 'لترات زيت الورد المصدَّرة',
    };
    const created = await api({
      method: 'POST',
      url: '/v1/kpis',
      body: {
        code: 'ROSE_OIL',
        name: roseOil,
        description: {
          fr: 'Somme des litres déclarés par les partenaires.',
          en: 'Sum of the litres the partners report.',
          ar: 'مجموع اللترات التي يصرح بها الشركاء.',
        },
        resultLevel: 'outcome',
        measure: 'unit',
        unit: 'l',
        ascending: true,
        source: 'reported',
        cumulation: 'period',
        dimensions: ['partner'],
      },
    });
    t.equal(created.statusCode, 201, created.body);
    const rose = await api({
      method: 'GET',
      url: '/v1/reports/kpis.xlsx?period=2025&kpi=ROSE_OIL',
    });
    const roseSheets = await sheetsOf(rose.rawPayload);
    t.same(roseSheets.definitions?.[1]?.slice(0, 3), ['ROSE_OIL', roseOil.fr, roseOil.en]);
    t.same(arabicColumns(roseSheets.definitions?.[1]), [
      roseOil.ar,
      'مجموع اللترات التي يصرح بها الشركاء.',
    ]);
    t.same(roseSheets.report?.[1]?.slice(-2), [roseOil.en, roseOil.ar], 'report sheet names');

    const reporting = await keyFor('reporting');
    const asReporting = await api({
      method: 'GET',
      url: `/v1/reports/kpis.xlsx?${query}`,
      key: reporting,
    });
    t.equal(asReporting.statusCode, 200);
  },
);
