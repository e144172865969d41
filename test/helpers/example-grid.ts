/** The worked example of docs/scoring.md, shared by the pure scoring tests and the route tests. */
import type { GridDefinition } from '../../src/modules/grids/definition.js';

const txt = (s: string) => ({ fr: `${s} (fr)`, en: `${s} (en)` });

/** The worked example of docs/scoring.md, as its `POST /v1/grids` body (with a code of choice). */
export function exampleGridBody(code = 'EXAMPLE'): GridDefinition {
  return {
    code,
    title: { fr: 'Exemple', en: 'Example' },
    minCoverage: 0.8,
    categories: [
      { code: 'A', label: { fr: 'Prêt à exporter', en: 'Export-ready' }, minScore: 80 },
      { code: 'B', label: { fr: 'Presque prêt', en: 'Nearly ready' }, minScore: 60 },
      { code: 'C', label: { fr: 'En développement', en: 'Developing' }, minScore: 40 },
      { code: 'D', label: { fr: 'Pré-export', en: 'Pre-export' }, minScore: 0 },
    ],
    dimensions: [
      {
        code: 'D1',
        title: txt('D1'),
        weight: 2,
        criteria: [
          {
            code: 'c1',
            title: txt('c1'),
            weight: 1,
            answer: { type: 'boolean' },
            knockout: { cap: 'C' },
            recommendation: txt('do c1'),
          },
          {
            code: 'c2',
            title: txt('c2'),
            weight: 3,
            answer: { type: 'scale', maxLevel: 4 },
            recommendation: txt('do c2'),
          },
        ],
      },
      {
        code: 'D2',
        title: txt('D2'),
        weight: 1,
        criteria: [
          {
            code: 'c3',
            title: txt('c3'),
            weight: 1,
            answer: {
              type: 'choice',
              options: [
                { code: 'x', score: 1 },
                { code: 'y', score: 0.5 },
              ],
            },
            notApplicableAllowed: true,
            recommendation: txt('do c3'),
          },
        ],
      },
    ],
  };
}
