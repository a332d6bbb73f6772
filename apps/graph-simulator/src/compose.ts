import { createSimulator, DEFAULT_CLIENT_ID, generateSigningKey, type Simulator } from '@ocb/graph-simulator';
import type { SimulatorConfig } from './config/simulator.config';

export interface StandaloneSimulator extends Simulator {
  /** Extra fields for `GET /api/health`. */
  health(): Record<string, unknown>;
}

/** Builds the seeded demo tenant the standalone server serves. */
export function composeSimulator(config: SimulatorConfig): StandaloneSimulator {
  // The token signing key is made now, not on the first token request (RSA key generation takes
  // 100–200 ms, which the first client would otherwise wait for, as it never does at Microsoft).
  const simulator = createSimulator({ seed: config.SIM_SEED, tokenLifetimeSeconds: config.SIM_TOKEN_LIFETIME_SECONDS, signingKey: generateSigningKey() });
  const app = simulator.state.apps.find((a) => a.clientId === DEFAULT_CLIENT_ID);
  if (app) {
    // Copy: the built-in registration object may be shared with other instances.
    simulator.state.apps = simulator.state.apps.map((a) =>
      a === app ? { ...a, redirectUris: [...new Set([...a.redirectUris, ...config.SIM_REDIRECT_URIS])] } : a,
    );
  }
  simulator.seed({ users: config.SIM_SEED_USERS, eventsPerUser: config.SIM_SEED_EVENTS, seed: config.SIM_SEED });
  return Object.assign(simulator, {
    health: () => ({ tenantId: simulator.tenantId, users: simulator.state.users.length }),
  });
}
