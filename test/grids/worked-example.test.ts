/**
 * The worked example of docs/scoring.md, checked against the code: each row of its table is
 * scored by scoreAssessment on the example grid and must give the figures the page shows.
 */
import { readFile } from 'node:fs/promises';
import t from 'tap';
import { type Answer, scoreAssessment } from '../../src/modules/grids/scoring.js';
import { exampleGridBody } from '../helpers/example-grid.js';

const page = await readFile(new URL('../../docs/scoring.md', import.meta.url), 'utf8');
const table = /<!-- worked-example:start -->([\s\S]*?)<!-- worked-example:end -->/.exec(page)?.[1];
const rows = (table ?? '')
  .split('\n')
  .filter((line) => line.startsWith('| c'))
  .map((line) =>
    line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim()),
  );

/** `c1 = true, c3 = n/a` → answers. */
function answersOf(cell: string): Answer[] {
  return cell.split(',').map((part) => {
    const [criterion = '', text = ''] = part.split('=').map((s) => s.trim());
    if (text === 'n/a') return { criterion, notApplicable: true };
    const value =
      text === 'true' ? true : text === 'false' ? false : /^\d+$/.test(text) ? Number(text) : text;
    return { criterion, value };
  });
}

const rounded = (x: number) => Number(x.toFixed(4));

t.ok(rows.length >= 5, `the table has its rows (${rows.length})`);
for (const [answers = '', score, coverage, base, category, gaps = ''] of rows) {
  t.test(answers, async (t) => {
    const result = scoreAssessment(exampleGridBody(), answersOf(answers), null);
    t.same(
      [rounded(result.score), rounded(result.coverage), result.baseCategory, result.category],
      [Number(score), Number(coverage), base, category],
    );
    t.same(
      result.gaps.map((gap) => `${gap.criterion} ${rounded(gap.potentialPoints)}`).join(', '),
      gaps,
      'gaps in order, with their potential points',
    );
  });
}
