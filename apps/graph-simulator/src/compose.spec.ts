import type { SigningKey } from '@ocb/graph-simulator';
import { loadSimulatorConfig } from './config/simulator.config';

describe('composeSimulator', () => {
  it('makes the token signing key at start, not on the first token request', () => {
    const actual = jest.requireActual<typeof import('@ocb/graph-simulator')>('@ocb/graph-simulator');
    const made: SigningKey[] = [];
    jest.isolateModules(() => {
      jest.doMock('@ocb/graph-simulator', () => ({
        ...actual,
        generateSigningKey: () => {
          const key = actual.generateSigningKey();
          made.push(key);
          return key;
        },
      }));
      const { composeSimulator } = jest.requireActual<typeof import('./compose')>('./compose');
      const simulator = composeSimulator(loadSimulatorConfig({ SIM_SEED_USERS: '2', SIM_SEED_EVENTS: '1' }));
      expect(made).toHaveLength(1);
      simulator.appToken();
      expect(made).toHaveLength(1);
    });
  });
});
