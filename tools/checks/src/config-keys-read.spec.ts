import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

// Every setting a config schema declares is read by production code somewhere (a declared but
// unread setting is documentation that lies).
const root = join(__dirname, '../../..');

/**
 * Declared for sibling links but read by no service yet: the service URL set is one shared schema
 * (serviceUrlsSchema) that tools/stack and docker/compose fill in full.
 */
const DECLARED_FOR_SIBLINGS = new Set(['ACTIONS_URL', 'NOTIFICATIONS_URL']);

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (!['node_modules', 'dist', 'test', 'testing'].includes(name)) files(path, out);
    } else if (name.endsWith('.ts') && !/\.(spec|e2e)\.ts$/.test(name)) out.push(path);
  }
  return out;
}

function declaredKeys(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/^\s+([A-Z][A-Z0-9_]{2,}):/gm)].map((m) => m[1]!);
}

describe('config keys', () => {
  it('are each read by production code outside the schemas', () => {
    const schemas = [join(root, 'libs/platform/config/src/schemas.ts')];
    for (const app of readdirSync(join(root, 'apps'))) {
      const dir = join(root, 'apps', app, 'src', 'config');
      if (existsSync(dir)) for (const f of readdirSync(dir)) if (f.endsWith('.ts') && !f.endsWith('.spec.ts')) schemas.push(join(dir, f));
    }
    const declared = new Set(schemas.flatMap(declaredKeys));
    expect(declared.size).toBeGreaterThan(30);
    const code = [...files(join(root, 'apps')), ...files(join(root, 'libs'))]
      .filter((f) => !schemas.includes(f))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const unread = [...declared].filter((key) => !DECLARED_FOR_SIBLINGS.has(key) && !new RegExp(`\\b${key}\\b`).test(code));
    expect(unread).toEqual([]);
  });
});
