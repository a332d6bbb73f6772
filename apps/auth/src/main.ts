import 'reflect-metadata';
import { ConfigError } from '@ocb/config';
import { bootstrapService } from '@ocb/http';
import { AppModule } from './app.module';
import { loadAuthConfig } from './config/auth.config';

async function main(): Promise<void> {
  const config = loadAuthConfig();
  await bootstrapService(AppModule.forRoot(config), {
    title: 'auth',
    description: 'OAuth 2.0: app token, per-user consent (authorization code + PKCE), encrypted token store',
    port: config.AUTH_PORT,
    host: config.HOST,
    swagger: config.SWAGGER_ENABLED,
    keys: { platformKey: config.PLATFORM_API_KEY, internalKey: config.INTERNAL_API_KEY },
    excludeFromPrefix: ['app/api/auth/serviceAction/callback'],
  });
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(`auth: ${error.message}`);
  else console.error('auth failed to start', error);
  process.exit(1);
});
