import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// Lints source text as if it sat at a given path, with the workspace's real ESLint config and
// project graph (ESLint runs in a child process: its flat config is an ES module), to prove the
// module-boundary rules reject what the architecture forbids.
const root = join(__dirname, '../../..');

async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const r = spawnSync(
    process.execPath,
    [join(root, 'node_modules/eslint/bin/eslint.js'), '--stdin', '--stdin-filename', join(root, filePath), '--format', 'json'],
    { cwd: root, input: code, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false' } },
  );
  const results = JSON.parse(r.stdout) as Array<{ messages: Array<{ ruleId: string | null; message: string }> }>;
  return results[0]!.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
}

describe('module boundaries', () => {
  it('a domain lib may not import a platform lib', async () => {
    const errors = await boundaryErrors(
      'libs/domain/clock/src/forbidden.ts',
      "import { ApiError } from '@ocb/http';\nexport const x = ApiError;\n",
    );
    expect(errors.join('\n')).toMatch(/type:domain/);
  });

  it('a service may not import the simulator outside tests', async () => {
    const errors = await boundaryErrors(
      'apps/sync/src/forbidden.ts',
      "import * as sim from '@ocb/graph-simulator';\nexport const x = sim;\n",
    );
    expect(errors.length).toBeGreaterThan(0);
  });

  it('but its tests may', async () => {
    const errors = await boundaryErrors(
      'apps/sync/src/allowed.spec.ts',
      "import * as sim from '@ocb/graph-simulator';\nexport const x = sim;\n",
    );
    expect(errors).toEqual([]);
  });

  it('an app may use platform and domain libs', async () => {
    const errors = await boundaryErrors(
      'apps/sync/src/allowed.ts',
      "import { ApiError } from '@ocb/http';\nimport { FakeClock } from '@ocb/clock';\nexport const x = [ApiError, FakeClock];\n",
    );
    expect(errors).toEqual([]);
  });
});
