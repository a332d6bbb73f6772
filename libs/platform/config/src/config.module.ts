import { DynamicModule, Global, Module } from '@nestjs/common';

/** Injection token of the service's validated configuration object. */
export const APP_CONFIG = Symbol('APP_CONFIG');

/**
 * Registers a service's already-validated configuration for injection:
 * `constructor(@Inject(APP_CONFIG) private readonly config: AuthConfig)`.
 */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot<T extends object>(config: T): DynamicModule {
    return {
      module: AppConfigModule,
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}
