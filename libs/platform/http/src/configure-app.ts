import { INestApplication, Logger as NestLogger, RequestMethod } from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { verifyJsonBody } from './json-depth';
import { ApiKeyGuard, ApiKeys } from './api-key.guard';
import { ApiExceptionFilter } from './exception.filter';
import { HttpMetricsMiddleware, MetricsService } from './metrics';
import { createValidationPipe } from './validation';

export interface AppConventions {
  title: string;
  description?: string;
  keys: ApiKeys;
  swagger?: boolean;
  /** Routes served outside the `/api` prefix besides /metrics (e.g. the OAuth callback). */
  excludeFromPrefix?: string[];
}

/**
 * The platform conventions every service shares: `/api` prefix, validation, one error shape,
 * default-deny API keys, request metrics, Swagger at /api/docs (+ /api/docs-json).
 */
export function configureApp(app: INestApplication, conventions: AppConventions): INestApplication {
  const exclude = ['metrics', ...(conventions.excludeFromPrefix ?? [])].map((path) => ({ path, method: RequestMethod.ALL }));
  app.setGlobalPrefix('api', { exclude });
  // JSON bodies: UTF-8 only (415 otherwise), identity/gzip/deflate/br, at most MAX_JSON_DEPTH levels deep
  (app as NestExpressApplication).useBodyParser('json', { verify: verifyJsonBody });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ApiExceptionFilter());
  app.useGlobalGuards(new ApiKeyGuard(app.get(Reflector), conventions.keys));
  const metrics = app.get(MetricsService, { strict: false });
  const middleware = new HttpMetricsMiddleware(metrics);
  app.use(middleware.use.bind(middleware));
  app.enableShutdownHooks();
  if (conventions.swagger !== false) {
    const doc = SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle(conventions.title)
        .setDescription(conventions.description ?? '')
        .setVersion('1.0')
        .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'PLATFORM_API_KEY (or INTERNAL_API_KEY on /api/internal)' })
        .addSecurityRequirements('bearer')
        .build(),
    );
    SwaggerModule.setup('api/docs', app, doc, { jsonDocumentUrl: 'api/docs-json' });
  }
  return app;
}

export interface BootstrapOptions extends AppConventions {
  port: number;
  host?: string;
}

/** Creates, configures and starts a service; logs where it listens. */
export async function bootstrapService(module: unknown, options: BootstrapOptions): Promise<INestApplication> {
  const app = await NestFactory.create(module as never, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  configureApp(app, options);
  await app.listen(options.port, options.host ?? '0.0.0.0');
  const url = await app.getUrl();
  new NestLogger('Bootstrap').log(`${options.title} listening on ${url.replace('[::1]', 'localhost')}`);
  return app;
}
