import { loadSimulatorConfig, SimulatorConfigError } from './simulator.config';

describe('graph-simulator config', () => {
  it('has development defaults', () => {
    expect(loadSimulatorConfig({})).toEqual({
      SIM_PORT: 4000,
      SIM_HTTP_PORT: undefined,
      SIM_HOST: '127.0.0.1',
      SIM_CERT_DIR: './data/graph-simulator',
      SIM_SEED: 1,
      SIM_SEED_USERS: 25,
      SIM_SEED_EVENTS: 40,
      SIM_TOKEN_LIFETIME_SECONDS: 3600,
      SIM_WORKER: true,
      SIM_REDIRECT_URIS: ['http://localhost:3001/app/api/auth/serviceAction/callback'],
    });
  });

  it('reads and converts settings; empty values mean the default', () => {
    const config = loadSimulatorConfig({
      SIM_PORT: '0',
      SIM_HTTP_PORT: '4080',
      SIM_SEED: '7',
      SIM_SEED_USERS: '',
      SIM_WORKER: 'false',
      SIM_REDIRECT_URIS: 'http://localhost:3001/cb, https://app.example/cb',
      UNRELATED: 'x',
    });
    expect(config).toMatchObject({ SIM_PORT: 0, SIM_HTTP_PORT: 4080, SIM_SEED: 7, SIM_SEED_USERS: 25, SIM_WORKER: false, SIM_REDIRECT_URIS: ['http://localhost:3001/cb', 'https://app.example/cb'] });
  });

  it('names every bad variable', () => {
    let error: unknown;
    try {
      loadSimulatorConfig({ SIM_PORT: '70000', SIM_SEED_EVENTS: 'many', SIM_REDIRECT_URIS: 'not a url', SIM_TOKEN_LIFETIME_SECONDS: '0', SIM_WORKER: 'yes' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SimulatorConfigError);
    expect((error as SimulatorConfigError).problems.map((p) => p.split(/[:.]/)[0]).sort()).toEqual(['SIM_PORT', 'SIM_REDIRECT_URIS', 'SIM_SEED_EVENTS', 'SIM_TOKEN_LIFETIME_SECONDS', 'SIM_WORKER']);
  });
});
