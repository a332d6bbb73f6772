import 'reflect-metadata';
import { ConfigError } from '@ocb/config';
import { bootstrapService } from '@ocb/http';
import { AppModule } from './app.module';
import { loadNotificationsConfig } from './config/notifications.config';

async function main(): Promise<void> {
  const config = loadNotificationsConfig();
  await bootstrapService(AppModule.forRoot(config), {
    title: 'notifications',
    description: 'Reminders to organizers before their events, delivered by signed webhook',
    port: config.NOTIFICATIONS_PORT,
    host: config.HOST,
    swagger: config.SWAGGER_ENABLED,
    keys: { platformKey: config.PLATFORM_API_KEY, internalKey: config.INTERNAL_API_KEY },
  });
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(`notifications: ${error.message}`);
  else console.error('notifications failed to start', error);
  process.exit(1);
});
