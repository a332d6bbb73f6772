import { readFileSync } from 'node:fs';
import { Agent, fetch as undiciFetch } from 'undici';
import { join } from 'node:path';

export interface StackInfo {
  database: 'sqlite' | 'postgres';
  simOrigin: string;
  certPath: string;
  urls: { auth: string; sync: string; actions: string; notifications: string; web: string };
  receiver: string;
  webhookSecret: string;
  logDir: string;
  startedInMs: number;
  /** Chromium for the browser suites (CHROMIUM_PATH, read by the global setup; default /usr/bin/chromium). */
  chromiumPath: string;
}

export function stackInfo(): StackInfo {
  return JSON.parse(readFileSync(join(__dirname, '../../../../tmp/e2e-stack.json'), 'utf8')) as StackInfo;
}

export const PLATFORM = { Authorization: 'Bearer dev-platform-key' };

/** fetch that trusts the simulator's certificate (the test process started before it existed). */
export function simFetch(info: StackInfo) {
  const dispatcher = new Agent({ connect: { ca: readFileSync(info.certPath) } });
  return (url: string, init: Parameters<typeof undiciFetch>[1] = {}) => undiciFetch(url, { ...init, dispatcher });
}
