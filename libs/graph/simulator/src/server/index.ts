export {
  startSimulatorServer,
  toFetchRequest,
  type SimulatorHandlersSource,
  type SimulatorServer,
  type StartSimulatorServerOptions,
} from './server';
export { ensureCertificate, CERT_FILE, KEY_FILE, type SimulatorCertificate } from './certificate';
