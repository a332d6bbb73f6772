import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// The V8 heap flags each service runs with (memory, P7): the same under `npm start` / e2e
// (tools/stack/stack.js) as in its image (the Dockerfile's CMD; the k8s Deployments run the image's CMD).
const root = join(__dirname, '../../..');
const { NODE_FLAGS, SERVICES } = require(join(root, 'tools/stack/stack.js')) as { NODE_FLAGS: Record<string, string[]>; SERVICES: string[] };

function cmdFlags(service: string): string[] {
  const cmd = /^CMD (\[.*\])$/m.exec(readFileSync(join(root, 'docker', `${service}.Dockerfile`), 'utf8'))?.[1];
  if (!cmd) throw new Error(`docker/${service}.Dockerfile: no CMD`);
  const argv = JSON.parse(cmd) as string[];
  expect(argv[0]).toBe('node');
  expect(argv[argv.length - 1]).toBe(`dist/apps/${service}/main.js`);
  return argv.slice(1, -1);
}

describe.each(['auth', 'sync', 'actions', 'notifications', 'web'])('%s', (service) => {
  it('bounds the old generation and the semi-spaces', () => {
    expect(SERVICES).toContain(service);
    const flags = NODE_FLAGS[service] ?? [];
    const value = (name: string) => Number(/=(\d+)$/.exec(flags.find((f) => f.startsWith(`--${name}=`)) ?? '')?.[1]);
    expect(value('max-old-space-size')).toBeGreaterThanOrEqual(256);
    expect(value('max-semi-space-size')).toBeGreaterThanOrEqual(1);
    expect(value('max-semi-space-size')).toBeLessThanOrEqual(8);
  });

  it('runs with the same flags in its image', () => {
    expect(cmdFlags(service)).toEqual(NODE_FLAGS[service]);
  });
});
