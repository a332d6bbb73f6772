import { DynamicModule, Module } from '@nestjs/common';
import { servicePlatformImports } from '@ocb/http';
import type { DestinationStream } from 'pino';
import { AuthModule } from './auth.module';
import type { AuthConfig } from './config/auth.config';
import { ConnectStateEntity } from './connect/connect-state.entity';
import { migrations } from './migrations';
import { TokenCacheEntity } from './store/token-cache.entity';
import { MsalFactory } from './tokens/msal.factory';

export const entities = [TokenCacheEntity, ConnectStateEntity];

export interface AppModuleOptions {
  /** Log destination (tests capture it); stdout (+ LOG_FILE) otherwise. */
  logDestination?: DestinationStream;
}

@Module({})
export class AppModule {
  static forRoot(config: AuthConfig, options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ...servicePlatformImports({
          service: 'auth',
          config,
          entities,
          migrations,
          logDestination: options.logDestination,
          readiness: {
            useFactory: (msal: MsalFactory) => [{ name: 'authority', check: () => msal.checkAuthority() }],
            inject: [MsalFactory],
          },
        }),
        AuthModule,
      ],
    };
  }
}
