/**
 * The standalone Graph simulator: the Microsoft identity platform and Graph v1.0 subset over
 * HTTPS on localhost, seeded with a demo tenant. Services reach it by setting AUTHORITY_HOST and
 * GRAPH_BASE_URL to the printed origin and starting with NODE_EXTRA_CA_CERTS=<certificate>.
 *
 * By default the tenant lives in a worker thread (this same script, started again with
 * `workerData.role`) and the main thread only serves HTTPS and stamps arrivals: see
 * `libs/graph/simulator/src/server/backend.ts`.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import {
  runSimulatorBackendWorker,
  SIMULATOR_BACKEND_ROLE,
  startSimulatorServer,
  startSimulatorWorker,
  type SimulatorServer,
} from '@ocb/graph-simulator';
import { loadSimulatorConfig, SimulatorConfigError, type SimulatorConfig } from './config/simulator.config';
import { composeSimulator } from './compose';

interface Tenant {
  tenantId: string;
  description: string;
}

async function main(): Promise<void> {
  const config = loadSimulatorConfig();
  const started = Date.now();
  let server: SimulatorServer;
  let tenant: Tenant;
  let stopBackend = async (): Promise<void> => undefined;
  const listen = { port: config.SIM_PORT, host: config.SIM_HOST, certDir: config.SIM_CERT_DIR, httpPort: config.SIM_HTTP_PORT };
  if (config.SIM_WORKER) {
    const worker = await startSimulatorWorker(__filename, (error) => {
      console.error(`graph-simulator: ${error.message}`);
      process.exit(1);
    });
    stopBackend = () => worker.close();
    tenant = worker.info as unknown as Tenant;
    server = await startSimulatorServer({ backend: worker.backend, ...listen });
  } else {
    const simulator = composeSimulator(config);
    tenant = { tenantId: simulator.tenantId, description: simulator.describe() };
    server = await startSimulatorServer({ simulator, health: () => simulator.health(), ...listen });
  }
  console.log(`graph-simulator listening on ${server.origin} (${Date.now() - started} ms)${config.SIM_WORKER ? ', the tenant in a worker thread' : ''}`);
  if (server.httpOrigin) console.log(`graph-simulator plain HTTP on ${server.httpOrigin} (not usable as an MSAL authority)`);
  console.log(`certificate: ${server.certPath}${server.certificateGenerated ? ' (generated)' : ' (reused)'}`);
  console.log(`trust it in Node clients: NODE_EXTRA_CA_CERTS=${server.certPath}`);
  console.log(`tenant ${tenant.tenantId}: ${tenant.description}; AUTHORITY_HOST=${server.origin} GRAPH_BASE_URL=${server.origin}`);

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`graph-simulator: ${signal}, stopping`);
    const force = setTimeout(() => process.exit(1), 5_000);
    force.unref();
    server
      .close()
      .then(stopBackend)
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

/** The worker: builds the seeded tenant and answers the front end's requests. */
function backend(port: NonNullable<typeof parentPort>): void {
  runSimulatorBackendWorker(port, () => {
    const config: SimulatorConfig = loadSimulatorConfig();
    const simulator = composeSimulator(config);
    return { simulator, info: { tenantId: simulator.tenantId, description: simulator.describe() } satisfies Tenant };
  });
}

if (!isMainThread && parentPort && (workerData as { role?: string } | null)?.role === SIMULATOR_BACKEND_ROLE) {
  backend(parentPort);
} else {
  main().catch((error: unknown) => {
    if (error instanceof SimulatorConfigError) console.error(error.message);
    else console.error('graph-simulator failed to start:', error);
    process.exit(1);
  });
}
