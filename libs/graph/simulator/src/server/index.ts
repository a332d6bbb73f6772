export {
  startSimulatorServer,
  type SimulatorHandlersSource,
  type SimulatorServer,
  type StartSimulatorServerOptions,
} from './server';
export { toFetchRequest } from './node-request';
export { ensureCertificate, CERT_FILE, KEY_FILE, type SimulatorCertificate } from './certificate';
export {
  answerWire,
  encodeChunks,
  runSimulatorBackendWorker,
  serveSimulatorBackend,
  SIMULATOR_BACKEND_ROLE,
  SimulatorBackendClient,
  startSimulatorWorker,
  type BackendSimulator,
  type PortLike,
  type SimulatorBackend,
  type SimulatorWorker,
  type WireRequest,
  type WireResponse,
} from './backend';
