/**
 * The repository is self-contained: no file cites the design notes outside it (`../shared`,
 * `design/…`), and every Markdown file a source, test, script or page names exists, relative
 * to the citing file or to the repository root.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import t from 'tap';

const root = new URL('../../', import.meta.url).pathname;
const FOLDERS = ['src', 'test', 'scripts', 'docs', 'migrations', 'bench'];
const TEXT = /\.(ts|mjs|js|md|json|ya?ml)$/;

async function files(): Promise<string[]> {
  const found = ['README.md'];
  for (const folder of FOLDERS) {
    const entries = await readdir(path.join(root, folder), {
      withFileTypes: true,
      recursive: true,
    });
    for (const e of entries) {
      if (e.isFile() && TEXT.test(e.name) && !e.parentPath.includes('.data')) {
        found.push(path.relative(root, path.join(e.parentPath, e.name)));
      }
    }
  }
  return found;
}

/** A Markdown file name as cited in prose, comments or links: `docs/kpis.md`, `../README.md`. */
const CITED_MD = /(?<![\w/.-])((?:\.{1,2}\/)?[\w./-]*\w\.md)\b/g;
const OUTSIDE = /\.\.\/shared|\bdesign\/\w+\.md/;

t.test('no file cites a document that is not in the repository', async (t) => {
  const self = path.relative(root, new URL(import.meta.url).pathname);
  const missing: string[] = [];
  for (const file of await files()) {
    if (file === self) continue;
    const text = await readFile(path.join(root, file), 'utf8');
    text.split('\n').forEach((line, i) => {
      if (OUTSIDE.test(line)) missing.push(`${file}:${i + 1} cites outside the repository`);
      for (const [, cited = ''] of line.matchAll(CITED_MD)) {
        const here = path.join(root, path.dirname(file), cited);
        if (!existsSync(here) && !existsSync(path.join(root, cited))) {
          missing.push(`${file}:${i + 1} cites ${cited}`);
        }
      }
    });
  }
  t.same(missing, [], 'every cited Markdown file exists');
});
