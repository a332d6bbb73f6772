import { timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import { Module, type DynamicModule, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { dataSourceOptions } from '@ocb/persistence';
import { PlatformClient } from '@ocb/service-clients';
import express, { type NextFunction, type Request, type Response } from 'express';
import session from 'express-session';
import { DataSource } from 'typeorm';
import { OidcService } from './auth/oidc.service';
import { HealthController, SESSION_DB } from './health.controller';
import type { WebConfig } from './config/web.config';
import { LOCALES } from './i18n/locale';
import { pageRoutes } from './pages/page.routes';
import { migrations } from './migrations';
import { SessionEntity } from './session/session.entity';
import './session/session-data';
import { TypeormSessionStore } from './session/typeorm-session.store';

@Module({})
class WebModule {
  static with(db: DataSource): DynamicModule {
    return { module: WebModule, controllers: [HealthController], providers: [{ provide: SESSION_DB, useValue: db }] };
  }
}

function csrfGuard(req: Request, res: Response, next: NextFunction): void {
  if (req.method !== 'POST') return next();
  const sent = Buffer.from(String((req.body as Record<string, unknown> | undefined)?.['_csrf'] ?? req.get('x-csrf-token') ?? ''));
  const expected = Buffer.from(req.session.csrf ?? '');
  if (expected.length > 0 && sent.length === expected.length && timingSafeEqual(sent, expected)) return next();
  res.status(403).type('text/plain').send('The form has expired (CSRF token missing or wrong). Go back, reload the page and try again.');
}

export async function createWebApp(config: WebConfig): Promise<INestApplication> {
  const ds = new DataSource(dataSourceOptions({ url: config.DATABASE_URL, entities: [SessionEntity], migrations }));
  await ds.initialize();
  const store = new TypeormSessionStore(ds.getRepository(SessionEntity), config.WEB_SESSION_MAX_AGE_MINUTES * 60_000);
  const sweeper = setInterval(() => void store.sweep().catch(() => undefined), 10 * 60_000);
  sweeper.unref();

  const app = await NestFactory.create<NestExpressApplication>(WebModule.with(ds), { logger: ['error', 'warn'] });
  app.setGlobalPrefix('api');
  const secure = config.WEB_PUBLIC_URL.startsWith('https:');
  if (secure) app.set('trust proxy', 1);
  app.use('/static', express.static(join(__dirname, 'public'), { maxAge: '1h' }));
  app.use(express.urlencoded({ extended: false, limit: '64kb' }));
  app.use(
    session({
      name: 'ocb.sid',
      secret: config.WEB_SESSION_SECRET,
      store,
      resave: false,
      saveUninitialized: false,
      rolling: true,
      cookie: { httpOnly: true, sameSite: 'lax', secure, maxAge: config.WEB_SESSION_MAX_AGE_MINUTES * 60_000 },
    }),
  );
  app.use(csrfGuard);
  app.use((req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Content-Security-Policy', "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
    res.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  });
  app.use('/locale', (req: Request, res: Response) => {
    const wanted = String((req.body as Record<string, unknown>)['locale'] ?? '');
    if (LOCALES.includes(wanted)) req.session.locale = wanted;
    const back = String((req.body as Record<string, unknown>)['returnTo'] ?? '/');
    res.redirect(303, back.startsWith('/') && !back.startsWith('//') ? back : '/');
  });
  const platform = new PlatformClient({
    urls: { auth: config.AUTH_URL, sync: config.SYNC_URL, actions: config.ACTIONS_URL, notifications: config.NOTIFICATIONS_URL },
    platformKey: config.PLATFORM_API_KEY,
  });
  app.use(pageRoutes({ config, platform, oidc: new OidcService(config) }));
  app.enableShutdownHooks();
  const close = app.close.bind(app);
  app.close = async () => {
    clearInterval(sweeper);
    await close();
    await ds.destroy();
  };
  return app;
}
