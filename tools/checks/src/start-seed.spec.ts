import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// `npm start` (tools/start) launches the stack through tools/stack/stack.js without choosing a
// tenant, so the operator's SIM_SEED / SIM_SEED_USERS / SIM_SEED_EVENTS decide it.
const root = join(__dirname, '../../..');
const { simulatorSeedEnv } = require(join(root, 'tools/stack/stack.js')) as {
  simulatorSeedEnv: (simulator?: Record<string, unknown>, env?: Record<string, string | undefined>) => Record<string, string>;
};

// Child processes (a bundle build, ESLint with the project graph): slow on a loaded 2-core machine.
jest.setTimeout(60_000);

describe('the stack launcher seeds the tenant npm start is asked for', () => {
  it('takes SIM_SEED, SIM_SEED_USERS and SIM_SEED_EVENTS from the environment', () => {
    expect(simulatorSeedEnv(undefined, { SIM_SEED: '9', SIM_SEED_USERS: '3', SIM_SEED_EVENTS: '2' })).toEqual({
      SIM_SEED: '9',
      SIM_SEED_USERS: '3',
      SIM_SEED_EVENTS: '2',
    });
    expect(simulatorSeedEnv({}, { SIM_SEED_USERS: '500' })).toEqual({ SIM_SEED: '1', SIM_SEED_USERS: '500', SIM_SEED_EVENTS: '40' });
  });

  it('keeps the simulator defaults when nothing (or an empty value) is set', () => {
    expect(simulatorSeedEnv(undefined, {})).toEqual({ SIM_SEED: '1', SIM_SEED_USERS: '25', SIM_SEED_EVENTS: '40' });
    expect(simulatorSeedEnv(undefined, { SIM_SEED_USERS: ' ' })).toMatchObject({ SIM_SEED_USERS: '25' });
  });

  it("a caller's explicit tenant (the e2e suite's) wins over the environment", () => {
    expect(simulatorSeedEnv({ seed: 7, users: 12, eventsPerUser: 20 }, { SIM_SEED: '9', SIM_SEED_USERS: '3', SIM_SEED_EVENTS: '2' })).toEqual({
      SIM_SEED: '7',
      SIM_SEED_USERS: '12',
      SIM_SEED_EVENTS: '20',
    });
  });

  it('passes a bad value on for the simulator to refuse by name', () => {
    expect(simulatorSeedEnv(undefined, { SIM_SEED_USERS: 'many' })).toMatchObject({ SIM_SEED_USERS: 'many' });
  });

  describe('the simulator started with that environment', () => {
    let dir: string;
    let child: ChildProcess | undefined;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'ocb-start-seed-'));
    });
    afterAll(() => {
      if (child && child.exitCode === null) child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
      rmSync(join(root, 'tmp', 'start-seed', `graph-simulator-${process.pid}.js`), { force: true });
    });

    it('seeds the users asked for through SIM_SEED_USERS', async () => {
      // Bundled beside the workspace (tmp/, as tools/run-ts.mjs does) so its packages resolve.
      const bundle = join(root, 'tmp', 'start-seed', `graph-simulator-${process.pid}.js`);
      const built = spawnSync(process.execPath, [join(root, 'tools/build/build.mjs'), '--entry', 'apps/graph-simulator/src/main.ts', '--out', bundle, '--quiet'], {
        cwd: root,
        encoding: 'utf8',
      });
      expect(built.status).toBe(0);
      const certDir = join(dir, 'cert');
      const operator = { SIM_SEED: '9', SIM_SEED_USERS: '3', SIM_SEED_EVENTS: '2' };
      child = spawn(process.execPath, [bundle], {
        cwd: root,
        env: { PATH: process.env['PATH'], SIM_PORT: '0', SIM_HOST: '127.0.0.1', SIM_WORKER: 'false', SIM_CERT_DIR: certDir, ...simulatorSeedEnv(undefined, operator) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const origin = await new Promise<string>((resolve, reject) => {
        let out = '';
        child!.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /listening on (https:\/\/\S+?)\s/.exec(out);
          if (m) resolve(m[1]!);
        });
        child!.stderr!.on('data', (d: Buffer) => (out += d.toString()));
        child!.on('exit', (code) => reject(new Error(`simulator exited ${code}: ${out}`)));
      });
      const ca = readFileSync(join(certDir, 'localhost-cert.pem'));
      const users = await new Promise<{ value: Array<{ userPrincipalName: string }> }>((resolve, reject) => {
        get(`${origin}/_sim/users`, { ca }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve(JSON.parse(body)));
        }).on('error', reject);
      });
      expect(users.value).toHaveLength(3);
    });
  });
});
