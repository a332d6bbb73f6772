import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

// The Kubernetes manifests under deploy/k8s: what ops rely on when running replicas.
const root = join(__dirname, '../../..');
const SERVICES = { auth: 3001, sync: 3002, actions: 3003, notifications: 3004, web: 3000 } as const;
/** The keys each service must take from the Secret (the web app calls the services with the platform key only). */
const SECRETS: Record<keyof typeof SERVICES, string[]> = {
  auth: ['DATABASE_URL', 'PLATFORM_API_KEY', 'INTERNAL_API_KEY', 'CLIENT_SECRET'],
  sync: ['DATABASE_URL', 'PLATFORM_API_KEY', 'INTERNAL_API_KEY', 'CLIENT_SECRET'],
  actions: ['DATABASE_URL', 'PLATFORM_API_KEY', 'INTERNAL_API_KEY', 'CLIENT_SECRET'],
  notifications: ['DATABASE_URL', 'PLATFORM_API_KEY', 'INTERNAL_API_KEY', 'CLIENT_SECRET'],
  web: ['DATABASE_URL', 'PLATFORM_API_KEY', 'WEB_SESSION_SECRET', 'WEB_CLIENT_SECRET'],
};

type Doc = { kind: string; metadata: { name: string }; spec: Record<string, unknown> } & Record<string, unknown>;

function docs(file: string): Doc[] {
  return parseAllDocuments(readFileSync(join(root, 'deploy/k8s', file), 'utf8')).map((d) => {
    if (d.errors.length) throw new Error(`${file}: ${d.errors.map((e) => e.message).join('; ')}`);
    return d.toJSON() as Doc;
  });
}

interface EnvVar { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }
interface Container {
  ports: Array<{ name: string; containerPort: number }>;
  env: EnvVar[];
  readinessProbe: { httpGet: { path: string; port: string } };
  livenessProbe: { httpGet: { path: string; port: string } };
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  securityContext: { allowPrivilegeEscalation: boolean; readOnlyRootFilesystem: boolean; capabilities: { drop: string[] } };
}
interface PodSpec { securityContext: { runAsNonRoot: boolean; runAsUser: number }; containers: Container[] }

describe.each(Object.entries(SERVICES))('deploy/k8s/%s.yaml', (service, port) => {
  const all = docs(`${service}.yaml`);
  const deployment = all.find((d) => d.kind === 'Deployment');
  const pod = (deployment?.spec['template'] as { spec: PodSpec } | undefined)?.spec;
  const container = pod?.containers[0];

  it('a Deployment of several replicas whose selector matches its pods', () => {
    expect(deployment?.metadata.name).toBe(service);
    expect(deployment?.spec['replicas']).toBeGreaterThanOrEqual(2);
    const selector = (deployment?.spec['selector'] as { matchLabels: Record<string, string> }).matchLabels;
    const labels = (deployment?.spec['template'] as { metadata: { labels: Record<string, string> } }).metadata.labels;
    expect(Object.entries(selector).every(([k, v]) => labels[k] === v)).toBe(true);
  });

  it('readiness on /api/health/ready and liveness on /api/health, on the service port', () => {
    expect(container?.ports).toEqual([{ name: 'http', containerPort: port }]);
    expect(container?.readinessProbe.httpGet).toEqual({ path: '/api/health/ready', port: 'http' });
    expect(container?.livenessProbe.httpGet).toEqual({ path: '/api/health', port: 'http' });
  });

  it('CPU and memory requests and limits', () => {
    for (const r of ['cpu', 'memory']) {
      expect(container?.resources.requests[r]).toMatch(/^\d+(m|Mi|Gi)?$/);
      expect(container?.resources.limits[r]).toMatch(/^\d+(m|Mi|Gi)?$/);
    }
  });

  it('runs as non-root, no privilege escalation, read-only root file system, no capabilities', () => {
    expect(pod?.securityContext.runAsNonRoot).toBe(true);
    expect(pod?.securityContext.runAsUser).toBeGreaterThan(0);
    expect(container?.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
  });

  it('every key and database URL from the Secret ocb-keys, none as a literal value', () => {
    const secretish = (container?.env ?? []).filter((e) => /KEY|SECRET|DATABASE_URL|PASSWORD/.test(e.name));
    expect(secretish.map((e) => e.name)).toEqual(expect.arrayContaining(SECRETS[service as keyof typeof SERVICES]));
    for (const e of secretish) {
      expect(e.value).toBeUndefined();
      expect(e.valueFrom?.secretKeyRef?.name).toBe('ocb-keys');
    }
    const example = docs('secrets.example.yaml')[0] as Doc & { stringData: Record<string, string> };
    for (const e of secretish) expect(Object.keys(example.stringData)).toContain(e.valueFrom?.secretKeyRef?.key);
    // the example holds no values
    expect(Object.values(example.stringData).every((v) => v === '')).toBe(true);
  });

  it('a Service on the port and a PodDisruptionBudget keeping one pod, both selecting the pods', () => {
    const svc = all.find((d) => d.kind === 'Service');
    const pdb = all.find((d) => d.kind === 'PodDisruptionBudget');
    expect(svc?.spec['ports']).toEqual([{ name: 'http', port, targetPort: 'http' }]);
    expect(svc?.spec['selector']).toEqual({ 'app.kubernetes.io/name': service });
    expect(pdb?.spec['minAvailable']).toBe(1);
    expect(pdb?.spec['selector']).toEqual({ matchLabels: { 'app.kubernetes.io/name': service } });
  });
});
