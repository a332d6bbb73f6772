import 'reflect-metadata';
import { ConfigError } from '@ocb/config';
import { bootstrapService } from '@ocb/http';
import { AppModule } from './app.module';
import { loadActionsConfig } from './config/actions.config';

async function main(): Promise<void> {
  const config = loadActionsConfig();
  await bootstrapService(AppModule.forRoot(config), {
    title: 'actions',
    description: 'Create, edit and cancel events and office hours as the user',
    port: config.ACTIONS_PORT,
    host: config.HOST,
    swagger: config.SWAGGER_ENABLED,
    keys: { platformKey: config.PLATFORM_API_KEY, internalKey: config.INTERNAL_API_KEY },
  });
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(`actions: ${error.message}`);
  else console.error('actions failed to start', error);
  process.exit(1);
});
