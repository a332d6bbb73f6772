import 'reflect-metadata';
import { runService } from '@ocb/http';
import { AppModule } from './app.module';
import { loadActionsConfig } from './config/actions.config';

void runService({
  service: 'actions',
  description: 'Create, edit and cancel events and office hours as the user',
  loadConfig: loadActionsConfig,
  module: (config) => AppModule.forRoot(config),
  port: (config) => config.ACTIONS_PORT,
});
