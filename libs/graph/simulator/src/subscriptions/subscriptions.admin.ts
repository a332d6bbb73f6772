/**
 * `/_sim/subscriptions`: what Graph would not show (every subscription with its mailbox), the
 * delivery settings and faults (latency, drop rate, extra delay, retry backoff), counters, injected
 * lifecycle notifications and a forced expiry time.
 */
import type { SimRequest, SimResponse } from '../graph/http';
import { GraphError, json } from '../graph/http';
import type { LifecycleEvent, NotificationSettings, Subscriptions } from './subscriptions';

const LIFECYCLE: LifecycleEvent[] = ['reauthorizationRequired', 'subscriptionRemoved', 'missed'];
const bad = (message: string) => new GraphError(400, 'BadRequest', message);

function settingsUpdate(body: Record<string, unknown>): Partial<NotificationSettings> {
  const limits: Record<keyof NotificationSettings, [number, number, boolean]> = {
    latencyMs: [0, 600_000, true],
    dropRate: [0, 1, false],
    delayMs: [0, 600_000, true],
    retryBaseMs: [0, 600_000, true],
    maxAttempts: [1, 100, true],
  };
  const out: Partial<NotificationSettings> = {};
  for (const [key, v] of Object.entries(body)) {
    const limit = limits[key as keyof NotificationSettings];
    if (!limit) throw bad(`Unknown setting '${key}'; known: ${Object.keys(limits).join(', ')}.`);
    const [min, max, integer] = limit;
    if (typeof v !== 'number' || v < min || v > max || (integer && !Number.isInteger(v))) throw bad(`${key} must be ${integer ? 'an integer' : 'a number'} between ${min} and ${max}.`);
    out[key as keyof NotificationSettings] = v;
  }
  return out;
}

export function subscriptionsAdmin(subs: Subscriptions, req: SimRequest, segs: string[]): SimResponse {
  const method = req.method.toUpperCase();
  const body = (req.body ?? {}) as Record<string, unknown>;
  const route = `${method} ${segs.join('/')}`;
  if (route === 'GET ') {
    return json(200, {
      value: subs.list().map((s) => ({ ...s, cancelExpiry: undefined, expirationDateTime: new Date(s.expirationMs).toISOString() })),
    });
  }
  if (route === 'GET settings') return json(200, subs.settings);
  if (route === 'PUT settings' || route === 'PATCH settings') {
    subs.settings = { ...subs.settings, ...settingsUpdate(body) };
    return json(200, subs.settings);
  }
  if (route === 'GET stats') return json(200, subs.stats());
  if (route === 'POST stats/reset') {
    subs.resetStats();
    return { status: 204, headers: {}, body: null };
  }
  const sub = segs[0] === undefined ? undefined : subs.get(segs[0]);
  if (segs.length >= 1 && segs.length <= 2 && !['settings', 'stats'].includes(segs[0])) {
    if (!sub) return json(404, { error: { code: 'NotFound', message: `No subscription '${segs[0]}'.` } });
    if (method === 'POST' && segs[1] === 'lifecycle') {
      const event = body.lifecycleEvent;
      if (typeof event !== 'string' || !LIFECYCLE.includes(event as LifecycleEvent)) throw bad(`lifecycleEvent must be one of ${LIFECYCLE.join(', ')}.`);
      if (!sub.lifecycleNotificationUrl) throw bad('The subscription has no lifecycleNotificationUrl.');
      subs.lifecycle(sub, event as LifecycleEvent);
      return { status: 202, headers: {}, body: null };
    }
    if (method === 'PATCH' && segs.length === 1) {
      const ms = typeof body.expirationDateTime === 'string' ? Date.parse(body.expirationDateTime) : NaN;
      if (!Number.isFinite(ms)) throw bad('expirationDateTime must be an ISO 8601 instant.');
      subs.renew(sub, ms);
      return json(200, { id: sub.id, expirationDateTime: new Date(ms).toISOString() });
    }
  }
  return json(404, { error: { code: 'NotFound', message: `No admin route ${method} /_sim/subscriptions/${segs.join('/')}.` } });
}
