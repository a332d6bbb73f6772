/**
 * The standalone Graph simulator: the Microsoft identity platform and Graph v1.0 subset over
 * HTTPS on localhost, seeded with a demo tenant. Services reach it by setting AUTHORITY_HOST and
 * GRAPH_BASE_URL to the printed origin and starting with NODE_EXTRA_CA_CERTS=<certificate>.
 */
import { startSimulatorServer } from '@ocb/graph-simulator';
import { loadSimulatorConfig, SimulatorConfigError } from './config/simulator.config';
import { composeSimulator } from './compose';

async function main(): Promise<void> {
  const config = loadSimulatorConfig();
  const started = Date.now();
  const simulator = composeSimulator(config);
  const server = await startSimulatorServer({
    simulator,
    port: config.SIM_PORT,
    host: config.SIM_HOST,
    certDir: config.SIM_CERT_DIR,
    httpPort: config.SIM_HTTP_PORT,
    health: () => simulator.health(),
  });
  console.log(`graph-simulator listening on ${server.origin} (${Date.now() - started} ms)`);
  if (server.httpOrigin) console.log(`graph-simulator plain HTTP on ${server.httpOrigin} (not usable as an MSAL authority)`);
  console.log(`certificate: ${server.certPath}${server.certificateGenerated ? ' (generated)' : ' (reused)'}`);
  console.log(`trust it in Node clients: NODE_EXTRA_CA_CERTS=${server.certPath}`);
  console.log(`tenant ${simulator.tenantId}: ${simulator.describe()}; AUTHORITY_HOST=${server.origin} GRAPH_BASE_URL=${server.origin}`);

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`graph-simulator: ${signal}, stopping`);
    const force = setTimeout(() => process.exit(1), 5_000);
    force.unref();
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof SimulatorConfigError) console.error(error.message);
  else console.error('graph-simulator failed to start:', error);
  process.exit(1);
});
