import { ConfigError } from '@ocb/config';
import { bootstrapService, type AppConventions } from './configure-app';

/** The settings every service's start-up reads (see `baseSchema`). */
export interface RunServiceSettings {
  HOST: string;
  SWAGGER_ENABLED: boolean;
  PLATFORM_API_KEY: string;
  INTERNAL_API_KEY: string;
}

export interface RunServiceOptions<C extends RunServiceSettings> extends Pick<AppConventions, 'description' | 'excludeFromPrefix'> {
  /** The service's name: Swagger title and the prefix of start-up errors. */
  service: string;
  /** Reads and validates the environment (throws ConfigError naming the bad variables). */
  loadConfig: () => C;
  /** The root module for the validated config. */
  module: (config: C) => unknown;
  /** The port to listen on. */
  port: (config: C) => number;
}

/**
 * A service's `main`: loads the config, starts the app with the platform conventions and exits
 * with status 1 (printing the config error, or the failure) when it cannot start.
 */
export function runService<C extends RunServiceSettings>(options: RunServiceOptions<C>): Promise<void> {
  const start = async (): Promise<void> => {
    const config = options.loadConfig();
    await bootstrapService(options.module(config), {
      title: options.service,
      description: options.description,
      port: options.port(config),
      host: config.HOST,
      swagger: config.SWAGGER_ENABLED,
      keys: { platformKey: config.PLATFORM_API_KEY, internalKey: config.INTERNAL_API_KEY },
      excludeFromPrefix: options.excludeFromPrefix,
    });
  };
  return start().catch((error: unknown) => {
    if (error instanceof ConfigError) console.error(`${options.service}: ${error.message}`);
    else console.error(`${options.service} failed to start`, error);
    process.exit(1);
  });
}
