import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

// A clone of the repository alone must build, run and pass its tests: nothing under apps/, libs/
// or tools/ may reach for the reference folder that sits beside the checkout on the development
// machines (the sibling folder named shared). Microsoft's example data lives in
// libs/graph/simulator/fixtures instead.
const root = join(__dirname, '../../..');
const SKIP_DIRS = new Set(['node_modules', 'dist', 'data', 'tmp', '.nx', 'coverage', '.git']);
const BINARY = /\.(png|jpe?g|gif|ico|pem|db|sqlite|woff2?|zip|gz|tgz)$/i;
// Spelled in pieces so this file does not name what it looks for.
const OUTSIDE = new RegExp(['(?:\\.\\./)+', 'shared\\b', '|', '/work/', 'shared\\b'].join(''));

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (SKIP_DIRS.has(name)) continue;
    const path = join(dir, name);
    const stat = statSync(path);
    if (stat.isDirectory()) yield* files(path);
    else if (stat.isFile() && !BINARY.test(name)) yield path;
  }
}

/** `path:line: text` of every line under `dirs` that names the outside reference folder. */
export function outsideReferences(base: string, dirs: string[]): string[] {
  const found: string[] = [];
  for (const dir of dirs) {
    for (const path of files(join(base, dir))) {
      const text = readFileSync(path, 'utf8');
      if (!OUTSIDE.test(text)) continue;
      text.split('\n').forEach((line, i) => {
        if (OUTSIDE.test(line)) found.push(`${relative(base, path)}:${i + 1}: ${line.trim()}`);
      });
    }
  }
  return found;
}

describe('the repository is self-contained', () => {
  it('no file under apps/, libs/ or tools/ refers to a reference folder outside the checkout', () => {
    expect(outsideReferences(root, ['apps', 'libs', 'tools'])).toEqual([]);
  });

  it('the check finds such a reference', () => {
    const sample = ['const FIXTURES = "../../', 'shared/graph-fixtures";'].join('');
    expect(OUTSIDE.test(sample)).toBe(true);
    expect(OUTSIDE.test(['read /work/', 'shared/contract.md'].join(''))).toBe(true);
    expect(OUTSIDE.test("import { x } from '@ocb/shared-things'; // libs/shared-ui")).toBe(false);
  });
});
