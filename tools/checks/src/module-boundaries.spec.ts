import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Lints source text as if it sat at a given path, with the workspace's real ESLint config and
// project graph (ESLint runs in a child process: its flat config is an ES module), to prove the
// module-boundary rules reject what the architecture forbids. Every run must lint with the rule:
// the rule prints "No cached ProjectGraph is available. The rule will be skipped." and lets every
// import through when Nx's cached graph is missing (a fresh clone), so that text fails the check.
const root = join(__dirname, '../../..');
const SKIPPED = /No cached ProjectGraph|will be skipped/;

function eslint(filePath: string, code: string, env: Record<string, string> = {}) {
  return spawnSync(
    process.execPath,
    [join(root, 'node_modules/eslint/bin/eslint.js'), '--stdin', '--stdin-filename', join(root, filePath), '--format', 'json'],
    { cwd: root, input: code, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false', ...env } },
  );
}

// Child processes (a bundle build, ESLint with the project graph): slow on a loaded 2-core machine.
jest.setTimeout(60_000);

async function boundaryErrors(filePath: string, code: string, env: Record<string, string> = {}): Promise<string[]> {
  const r = eslint(filePath, code, env);
  expect(r.stdout).not.toMatch(SKIPPED);
  expect([r.status, r.stderr]).not.toContainEqual(2);
  expect(r.stderr).not.toMatch(SKIPPED);
  const results = JSON.parse(r.stdout) as Array<{ messages: Array<{ ruleId: string | null; message: string }> }>;
  return results[0]!.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
}

const FORBIDDEN = "import { ApiError } from '@ocb/http';\nexport const x = ApiError;\n";

describe('module boundaries from a cold state (no cached Nx project graph, as in a fresh clone)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ocb-nx-cold-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('ESLint builds the graph first and enforces the rule', async () => {
    const errors = await boundaryErrors('libs/domain/recurrence/src/forbidden.ts', FORBIDDEN, { NX_WORKSPACE_DATA_DIRECTORY: join(dir, 'workspace-data') });
    expect(errors.join('\n')).toMatch(/type:domain/);
  });

  it('ESLint fails loudly, rather than lint without the rule, when no graph can be had', () => {
    const notADirectory = join(dir, 'file');
    writeFileSync(notADirectory, '');
    const r = eslint('libs/domain/recurrence/src/forbidden.ts', FORBIDDEN, { NX_WORKSPACE_DATA_DIRECTORY: notADirectory });
    expect(r.status).not.toBe(0);
    expect(r.stdout).not.toMatch(/"errorCount":0/);
    expect(r.stderr).toMatch(/@nx\/enforce-module-boundaries needs the Nx project graph/);
  });
});

describe('module boundaries', () => {
  it('a domain lib may not import a platform lib', async () => {
    const errors = await boundaryErrors('libs/domain/recurrence/src/forbidden.ts', FORBIDDEN);
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
