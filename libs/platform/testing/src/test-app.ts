import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { Test, TestingModuleBuilder } from '@nestjs/testing';
import { configureApp, type AppConventions } from '@ocb/http';

export interface TestApp {
  app: INestApplication;
  /** Base URL of the listening app (http://127.0.0.1:port). */
  url: string;
  close(): Promise<void>;
}

/**
 * Boots a service module with the same conventions as production (prefix, validation, error
 * shape, keys, metrics, swagger) on a random local port. `override` swaps providers (clock,
 * webhook sender, ...).
 */
export async function createTestApp(
  module: DynamicModule | Type<unknown>,
  conventions: Partial<AppConventions> = {},
  override?: (builder: TestingModuleBuilder) => TestingModuleBuilder,
): Promise<TestApp> {
  let builder = Test.createTestingModule({ imports: [module] });
  if (override) builder = override(builder);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication({ logger: ['error'] });
  configureApp(app, {
    title: conventions.title ?? 'test',
    keys: conventions.keys ?? { platformKey: 'dev-platform-key', internalKey: 'dev-internal-key' },
    swagger: conventions.swagger ?? false,
    excludeFromPrefix: conventions.excludeFromPrefix,
  });
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { app, url, close: () => app.close() };
}

export const PLATFORM_AUTH = { Authorization: 'Bearer dev-platform-key' };
export const INTERNAL_AUTH = { Authorization: 'Bearer dev-internal-key' };
