import { DynamicModule, Module } from '@nestjs/common';
import { servicePlatformImports } from '@ocb/http';
import type { ActionsConfig } from './config/actions.config';
import { ActionsModule } from './actions.module';
import { IdempotencyKeyEntity } from './idempotency/idempotency-key.entity';
import { migrations } from './migrations';

@Module({})
export class AppModule {
  static forRoot(config: ActionsConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ...servicePlatformImports({ service: 'actions', config, entities: [IdempotencyKeyEntity], migrations }),
        ActionsModule,
      ],
    };
  }
}
