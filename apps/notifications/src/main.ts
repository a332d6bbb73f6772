import 'reflect-metadata';
import { runService } from '@ocb/http';
import { AppModule } from './app.module';
import { loadNotificationsConfig } from './config/notifications.config';

void runService({
  service: 'notifications',
  description: 'Reminders to organizers before their events, delivered by signed webhook',
  loadConfig: loadNotificationsConfig,
  module: (config) => AppModule.forRoot(config),
  port: (config) => config.NOTIFICATIONS_PORT,
});
