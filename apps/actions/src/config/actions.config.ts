import { z } from 'zod';
import { baseSchema, databaseSchema, graphSchema, intSetting, loadConfig, serviceUrlsSchema, type Env } from '@ocb/config';

export const actionsConfigSchema = baseSchema
  .merge(graphSchema)
  .merge(serviceUrlsSchema)
  .merge(databaseSchema('actions'))
  .extend({
    ACTIONS_PORT: intSetting(3003),
    /** How long an Idempotency-Key keeps its first result. */
    IDEMPOTENCY_TTL_HOURS: intSetting(24, 1),
  });

export type ActionsConfig = z.infer<typeof actionsConfigSchema>;

export function loadActionsConfig(env?: Env): ActionsConfig {
  return loadConfig(actionsConfigSchema, env);
}
