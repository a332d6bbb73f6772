import { DynamicModule, Module } from '@nestjs/common';
import { servicePlatformImports } from '@ocb/http';
import type { NotificationsConfig } from './config/notifications.config';
import { EndpointStateEntity, OutboxEntity } from './delivery/outbox.entity';
import { migrations } from './migrations';
import { PlannerStateEntity, ReminderEntity } from './reminders/reminder.entity';
import { RemindersModule } from './reminders/reminders.module';

@Module({})
export class AppModule {
  static forRoot(config: NotificationsConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ...servicePlatformImports({ service: 'notifications', config, entities: [ReminderEntity, OutboxEntity, PlannerStateEntity, EndpointStateEntity], migrations }),
        RemindersModule,
      ],
    };
  }
}
