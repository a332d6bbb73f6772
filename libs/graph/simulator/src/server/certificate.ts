import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { generate } from 'selfsigned';

export interface SimulatorCertificate {
  certPath: string;
  keyPath: string;
  cert: string;
  key: string;
  /** true when a new certificate was written, false when the one in certDir was reused. */
  generated: boolean;
  fingerprint256: string;
  validTo: Date;
}

export const CERT_FILE = 'localhost-cert.pem';
export const KEY_FILE = 'localhost-key.pem';
const VALIDITY_DAYS = 397;
/** A certificate closer than this to its end is replaced at start. */
const RENEW_BEFORE_MS = 7 * 24 * 3600 * 1000;

/**
 * Returns the simulator's TLS certificate for `localhost` and `127.0.0.1`, reusing the one in
 * `certDir` while it is valid. The certificate is its own CA (basicConstraints CA:true,
 * keyCertSign), so `NODE_EXTRA_CA_CERTS=<certPath>` makes Node processes trust the simulator.
 */
export async function ensureCertificate(dir: string, now: Date = new Date()): Promise<SimulatorCertificate> {
  const certDir = resolve(dir);
  const certPath = join(certDir, CERT_FILE);
  const keyPath = join(certDir, KEY_FILE);
  const existing = await readExisting(certPath, keyPath, now);
  if (existing) return { ...existing, certPath, keyPath, generated: false };

  await mkdir(certDir, { recursive: true });
  const notBeforeDate = new Date(now.getTime() - 60 * 60 * 1000);
  const notAfterDate = new Date(now.getTime() + VALIDITY_DAYS * 24 * 3600 * 1000);
  const pems = await generate([{ name: 'commonName', value: 'localhost' }, { name: 'organizationName', value: 'Graph simulator (local development CA)' }], {
    keyType: 'rsa',
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  // Write to temp names and rename, so a concurrent reader never sees half a file.
  await writeFile(`${keyPath}.${process.pid}.tmp`, pems.private, { mode: 0o600 });
  await writeFile(`${certPath}.${process.pid}.tmp`, pems.cert);
  await rename(`${keyPath}.${process.pid}.tmp`, keyPath);
  await rename(`${certPath}.${process.pid}.tmp`, certPath);
  const x509 = new X509Certificate(pems.cert);
  return { certPath, keyPath, cert: pems.cert, key: pems.private, generated: true, fingerprint256: x509.fingerprint256, validTo: new Date(x509.validTo) };
}

async function readExisting(
  certPath: string,
  keyPath: string,
  now: Date,
): Promise<Pick<SimulatorCertificate, 'cert' | 'key' | 'fingerprint256' | 'validTo'> | undefined> {
  try {
    const [cert, key] = await Promise.all([readFile(certPath, 'utf8'), readFile(keyPath, 'utf8')]);
    const x509 = new X509Certificate(cert);
    const validFrom = new Date(x509.validFrom);
    const validTo = new Date(x509.validTo);
    if (validFrom.getTime() > now.getTime() || validTo.getTime() - RENEW_BEFORE_MS < now.getTime()) return undefined;
    if (!x509.ca || !x509.checkHost('localhost') || !x509.checkIP('127.0.0.1')) return undefined;
    if (!x509.checkPrivateKey(createPrivateKey(key))) return undefined;
    if (!x509.verify(x509.publicKey)) return undefined;
    return { cert, key, fingerprint256: x509.fingerprint256, validTo };
  } catch {
    return undefined;
  }
}
