import 'reflect-metadata';
import { runService } from '@ocb/http';
import { AppModule } from './app.module';
import { loadSyncConfig } from './config/sync.config';

void runService({
  service: 'sync',
  description: 'The calendar cache: full, incremental and on-demand sync, and the read API',
  loadConfig: loadSyncConfig,
  module: (config) => AppModule.forRoot(config),
  port: (config) => config.SYNC_PORT,
});
