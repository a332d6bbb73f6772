import 'reflect-metadata';
import { runService } from '@ocb/http';
import { AppModule } from './app.module';
import { loadAuthConfig } from './config/auth.config';

void runService({
  service: 'auth',
  description: 'OAuth 2.0: app token, per-user consent (authorization code + PKCE), encrypted token store',
  loadConfig: loadAuthConfig,
  module: (config) => AppModule.forRoot(config),
  port: (config) => config.AUTH_PORT,
  excludeFromPrefix: ['app/api/auth/serviceAction/callback'],
});
