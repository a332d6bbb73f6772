/**
 * Injected faults in the manner of Microsoft Dev Proxy: random throttling, server errors,
 * connection resets and latency, globally or per route, drawn from a seeded PRNG.
 */
import { Rng } from '../state/prng';

export interface FaultRates {
  throttleRate: number;
  errorRate: number;
  resetRate: number;
  latencyMs: number;
  latencyJitterMs: number;
}

export interface FaultSettings extends FaultRates {
  maxRequestsPerSecond: number;
  /** Overrides by route pattern: `'GET /users/{id}/calendarView'`, `'*calendarView*'`, `'POST *'`. */
  routes: Record<string, Partial<FaultRates>>;
}

export type FaultSettingsUpdate = Partial<Omit<FaultSettings, 'routes'>> & { routes?: Record<string, Partial<FaultRates>> | null };

export const NO_FAULTS: FaultSettings = {
  throttleRate: 0,
  errorRate: 0,
  resetRate: 0,
  latencyMs: 0,
  latencyJitterMs: 0,
  maxRequestsPerSecond: 0,
  routes: {},
};

export interface FaultDecision {
  latencyMs: number;
  kind: 'none' | 'throttle' | 'error' | 'reset';
  status?: number;
  retryAfterSeconds?: number;
}

const RATE_KEYS: Array<keyof FaultRates> = ['throttleRate', 'errorRate', 'resetRate', 'latencyMs', 'latencyJitterMs'];

export class FaultSettingsError extends Error {}

function checkNumber(key: string, v: unknown, rate: boolean): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (rate && v > 1)) {
    throw new FaultSettingsError(`${key} must be a number ${rate ? 'between 0 and 1' : '>= 0'}`);
  }
  return v;
}

function globToRegExp(pattern: string): RegExp {
  const esc = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${esc}$`, 'i');
}

export class Faults {
  private settings: FaultSettings = { ...NO_FAULTS, routes: {} };
  private compiled: Array<{ re: RegExp; rates: Partial<FaultRates> }> = [];
  private rng: Rng;

  constructor(private seed: number) {
    this.rng = new Rng(seed ^ 0xfa017);
  }

  get(): FaultSettings {
    return { ...this.settings, routes: { ...this.settings.routes } };
  }

  /** Merges an update: fields left out keep their value; 0 turns a fault off. */
  update(u: FaultSettingsUpdate): FaultSettings {
    const next: FaultSettings = { ...this.settings, routes: { ...this.settings.routes } };
    for (const k of RATE_KEYS) if (u[k] !== undefined) next[k] = checkNumber(k, u[k], k.endsWith('Rate'));
    if (u.maxRequestsPerSecond !== undefined) next.maxRequestsPerSecond = Math.floor(checkNumber('maxRequestsPerSecond', u.maxRequestsPerSecond, false));
    if (u.routes === null) next.routes = {};
    else if (u.routes) {
      if (typeof u.routes !== 'object') throw new FaultSettingsError('routes must be an object');
      for (const [pattern, rates] of Object.entries(u.routes)) {
        if (rates === null) {
          delete next.routes[pattern];
          continue;
        }
        const merged: Partial<FaultRates> = { ...(next.routes[pattern] ?? {}) };
        for (const k of RATE_KEYS) if (rates[k] !== undefined) merged[k] = checkNumber(`routes['${pattern}'].${k}`, rates[k], k.endsWith('Rate'));
        next.routes[pattern] = merged;
      }
    }
    this.settings = next;
    this.compiled = Object.entries(next.routes).map(([p, rates]) => ({ re: globToRegExp(p), rates }));
    return this.get();
  }

  /** Off, and the fault sequence restarts from the seed. */
  reset(seed = this.seed): void {
    this.seed = seed;
    this.settings = { ...NO_FAULTS, routes: {} };
    this.compiled = [];
    this.rng = new Rng(seed ^ 0xfa017);
  }

  get maxRequestsPerSecond(): number {
    return this.settings.maxRequestsPerSecond;
  }

  ratesFor(routeKey: string): FaultRates {
    let r: FaultRates = this.settings;
    const path = routeKey.slice(routeKey.indexOf(' ') + 1);
    for (const c of this.compiled) if (c.re.test(routeKey) || c.re.test(path)) r = { ...r, ...c.rates };
    return r;
  }

  active(): boolean {
    const s = this.settings;
    return s.throttleRate > 0 || s.errorRate > 0 || s.resetRate > 0 || s.latencyMs > 0 || s.latencyJitterMs > 0 || this.compiled.length > 0;
  }

  /** One decision per request (always draws, so the sequence depends only on the seed and traffic). */
  decide(routeKey: string, isWrite: boolean, allowReset: boolean): FaultDecision {
    if (!this.active()) return { latencyMs: 0, kind: 'none' };
    const r = this.ratesFor(routeKey);
    const [a, b, c, d, e] = [this.rng.next(), this.rng.next(), this.rng.next(), this.rng.next(), this.rng.next()];
    const latencyMs = r.latencyMs + (r.latencyJitterMs > 0 ? Math.round((d * 2 - 1) * r.latencyJitterMs) : 0);
    const base = { latencyMs: Math.max(0, latencyMs) };
    if (allowReset && a < r.resetRate) return { ...base, kind: 'reset' };
    if (b < r.throttleRate) return { ...base, kind: 'throttle', retryAfterSeconds: 1 + Math.floor(e * 5) };
    if (c < r.errorRate) {
      const statuses = isWrite ? [500, 502, 503, 504, 507] : [500, 502, 503, 504];
      return { ...base, kind: 'error', status: statuses[Math.floor(e * statuses.length)] };
    }
    return { ...base, kind: 'none' };
  }
}

export const FAULT_ERRORS: Record<number, { code: string; message: string }> = {
  500: { code: 'generalException', message: 'General exception while processing.' },
  502: { code: 'BadGateway', message: 'The server, while acting as a gateway or proxy, received an invalid response from the upstream server.' },
  503: { code: 'serviceNotAvailable', message: 'The service is temporarily unavailable for maintenance or is overloaded. You may repeat the request after a delay.' },
  504: { code: 'gatewayTimeout', message: 'The server, while acting as a proxy, did not receive a timely response from the upstream server.' },
  507: { code: 'ErrorQuotaExceeded', message: 'The mailbox has exceeded its maximum allowed storage and cannot accept new items.' },
};
