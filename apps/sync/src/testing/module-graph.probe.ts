/**
 * Boots sync's module graph (the environment's settings), prints the npm packages the process has
 * loaded as a JSON array, and exits. Bundled and run like a built service by module-graph.spec.ts
 * (`node tools/run-ts.mjs apps/sync/src/testing/module-graph.probe.ts`).
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import { loadSyncConfig } from '../config/sync.config';

async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(loadSyncConfig()), { logger: false });
  const packages = new Set<string>();
  for (const file of Object.keys(require.cache)) {
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1];
    if (name) packages.add(name);
  }
  await app.close();
  process.stdout.write(`${JSON.stringify([...packages].sort())}\n`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
