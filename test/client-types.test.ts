import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import ts from 'typescript';
import { clientTypes } from '../scripts/typescript-client.js';
import { startTestApp } from './helpers/app.js';

/**
 * A client generated from the served contract (openapi-typescript, as `npm run openapi` does)
 * has named types for the entities: an integrator writes `components['schemas']['Member']`.
 * Were the schemas inlined again, the names would not exist and the use below would not compile.
 */
const USE = `
import type { components, paths } from './schema.js';

type Member = components['schemas']['Member'];
type Assessment = components['schemas']['Assessment'];
type Grid = components['schemas']['Grid'];
type Kpi = components['schemas']['Kpi'];
type MemberPage = components['schemas']['MemberPage'];

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type MemberAnswer =
  paths['/v1/members/{id}']['get']['responses'][200]['content']['application/json'];
export const answersAMember: Same<MemberAnswer, Member> = true;

export const greeting = (member: Member): string => \`\${member.name} (\${member.partnerCode})\`;
export const scoreOf = (assessment: Assessment): number | null => assessment.score;
export const criteriaOf = (grid: Grid): string[] =>
  grid.dimensions.flatMap((dimension) => dimension.criteria.map((criterion) => criterion.code));
export const nameOf = (kpi: Kpi): string => kpi.name.fr;
type ListAnswer = paths['/v1/members']['get']['responses'][200]['content']['application/json'];
export const answersAPage: Same<ListAnswer, MemberPage> = true;
export const namesOnPage = (page: MemberPage): string[] => page.data.map((member) => member.name);
`;

const repository = fileURLToPath(new URL('..', import.meta.url));

function compile(file: string): string[] {
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: [],
  });
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

t.test(
  'a client generated from the contract names Member, Assessment, Grid, Kpi and MemberPage',
  async (t) => {
    const { api } = await startTestApp(t);
    const served = await api({ method: 'GET', url: '/openapi.yaml', key: null });
    t.equal(served.statusCode, 200);

    // Inside the repository, so the compiler resolves like the project's own code.
    const dir = await mkdtemp(path.join(repository, 'test', '.client-'));
    t.teardown(() => rm(dir, { recursive: true, force: true }));
    await writeFile(path.join(dir, 'package.json'), '{ "type": "module" }');
    await writeFile(path.join(dir, 'schema.d.ts'), await clientTypes(served.body));
    await writeFile(path.join(dir, 'use.ts'), USE);

    t.same(compile(path.join(dir, 'use.ts')), [], 'the use compiles against the generated types');
  },
);
