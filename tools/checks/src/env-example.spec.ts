import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

// Every variable a config schema reads must be documented in .env.example.
const root = join(__dirname, '../../..');

function schemaFiles(): string[] {
  const files = [join(root, 'libs/platform/config/src/schemas.ts')];
  for (const app of readdirSync(join(root, 'apps'))) {
    const dir = join(root, 'apps', app, 'src', 'config');
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) if (f.endsWith('.ts') && !f.endsWith('.spec.ts')) files.push(join(dir, f));
  }
  return files;
}

describe('.env.example', () => {
  it('documents every variable of every config schema', () => {
    const documented = new Set(
      readFileSync(join(root, '.env.example'), 'utf8')
        .split('\n')
        .map((l) => /^([A-Z][A-Z0-9_]+)=/.exec(l)?.[1])
        .filter(Boolean),
    );
    const used = new Set<string>();
    for (const file of schemaFiles()) {
      for (const m of readFileSync(file, 'utf8').matchAll(/^\s+([A-Z][A-Z0-9_]{2,}):/gm)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(30);
    const missing = [...used].filter((v) => !documented.has(v));
    expect(missing).toEqual([]);
  });
});
