import 'reflect-metadata';
import { ConfigError } from '@ocb/config';
import { bootstrapService } from '@ocb/http';
import { AppModule } from './app.module';
import { loadSyncConfig } from './config/sync.config';

async function main(): Promise<void> {
  const config = loadSyncConfig();
  await bootstrapService(AppModule.forRoot(config), {
    title: 'sync',
    description: 'The calendar cache: full, incremental and on-demand sync, and the read API',
    port: config.SYNC_PORT,
    host: config.HOST,
    swagger: config.SWAGGER_ENABLED,
    keys: { platformKey: config.PLATFORM_API_KEY, internalKey: config.INTERNAL_API_KEY },
  });
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(`sync: ${error.message}`);
  else console.error('sync failed to start', error);
  process.exit(1);
});
