/**
 * `POST/GET/PATCH/DELETE /subscriptions` (v1.0) for Outlook events: resource `users/{id}/events`
 * (app-only with Calendars.Read or Calendars.ReadWrite) or `me/events` (delegated, with a calendar
 * scope), `changeType` a comma list of created/updated/deleted, `clientState` up to 128 characters,
 * `expirationDateTime` at most 10,080 minutes ahead. Create (and a PATCH of a URL) validates the
 * endpoints by the handshake; failures answer 400 with Graph's error shape.
 */
import type { Ctx } from '../graph/context';
import type { SimResponse } from '../graph/http';
import { GraphError, json } from '../graph/http';
import { MAX_LIFETIME_MINUTES, type ChangeType, type SubscriptionRecord, type Subscriptions } from './subscriptions';

const CHANGE_TYPES: ChangeType[] = ['created', 'updated', 'deleted'];

const invalid = (message: string) => new GraphError(400, 'InvalidRequest', message);

function service(ctx: Ctx): Subscriptions {
  const s = ctx.deps.subscriptions;
  if (!s) throw new GraphError(501, 'NotImplemented', 'Subscriptions are not available.');
  return s;
}

export function subscriptionJson(ctx: Ctx, s: SubscriptionRecord): Record<string, unknown> {
  return {
    '@odata.context': `${ctx.origin}/v1.0/$metadata#subscriptions/$entity`,
    id: s.id,
    resource: s.resource,
    applicationId: s.applicationId,
    changeType: s.changeTypes.join(','),
    clientState: s.clientState,
    notificationUrl: s.notificationUrl,
    notificationQueryOptions: null,
    lifecycleNotificationUrl: s.lifecycleNotificationUrl,
    expirationDateTime: new Date(s.expirationMs).toISOString(),
    creatorId: s.creatorId,
    includeResourceData: null,
    latestSupportedTlsVersion: 'v1_2',
    encryptionCertificate: null,
    encryptionCertificateId: null,
    notificationUrlAppId: null,
  };
}

function str(body: Record<string, unknown>, key: string, required: boolean): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) {
    if (required) throw invalid(`${key} is a required property for subscription creation.`);
    return undefined;
  }
  if (typeof v !== 'string') throw new GraphError(400, 'BadRequest', `Cannot convert the literal '${String(v)}' to the expected type 'Edm.String' (${key}).`);
  return v;
}

/** An https URL (http only on loopback, for local runs; Graph requires https). */
function endpoint(value: string, key: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid(`${key} must be a valid URL.`);
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) throw invalid(`The ${key} must be an https URL.`);
  return url.toString();
}

function expiration(ctx: Ctx, raw: string | undefined): number {
  const ms = raw === undefined ? NaN : Date.parse(raw);
  if (raw === undefined) throw invalid('expirationDateTime is a required property for subscription creation.');
  if (!Number.isFinite(ms) || !/(Z|[+-]\d{2}:\d{2})$/i.test(raw)) throw invalid(`Invalid expirationDateTime '${raw}'.`);
  const now = ctx.now();
  if (ms <= now) throw invalid('Subscription expiration can only be in the future.');
  if (ms > now + MAX_LIFETIME_MINUTES * 60_000) throw invalid(`Subscription expiration can only be ${MAX_LIFETIME_MINUTES} minutes in the future.`);
  return ms;
}

function changeTypes(raw: string): ChangeType[] {
  const list = raw.split(',').map((s) => s.trim());
  for (const t of list) if (!CHANGE_TYPES.includes(t as ChangeType)) throw invalid(`'${t}' is not a valid changeType; use created, updated, deleted.`);
  return [...new Set(list as ChangeType[])];
}

const has = (list: string[], wanted: string[]) => list.some((x) => wanted.includes(x.toLowerCase()));
const READ = ['calendars.read', 'calendars.readwrite'];

/** The mailbox owner of a resource the caller may subscribe to. */
function owner(ctx: Ctx, resource: string): string {
  const p = ctx.principal;
  const m = /^\/?(?:(me)|users\/([^/]+))\/events\/?$/i.exec(resource);
  if (!m) throw invalid(`Resource '${resource}' is not supported; use users/{id}/events or me/events.`);
  const denied = new GraphError(403, 'ExtensionError', 'Operation: Create; Exception: [Status Code: Forbidden; Reason: Access is denied. Check credentials and try again.]');
  if (m[1]) {
    if (p.kind !== 'user' || !p.userId) throw invalid('/me request is only valid with delegated authentication flow.');
    if (!has(p.scopes, READ)) throw denied;
    return p.userId;
  }
  const user = ctx.state.findUser(decodeURIComponent(m[2]));
  if (!user) throw new GraphError(404, 'ExtensionError', `Operation: Create; Exception: [Status Code: NotFound; Reason: The requested user '${m[2]}' is invalid.]`);
  if (!ctx.state.mailboxOf(user)) throw new GraphError(404, 'ExtensionError', 'Operation: Create; Exception: [Status Code: NotFound; Reason: The mailbox is either inactive, soft-deleted, or is hosted on-premise.]');
  if (p.kind === 'app' ? !has(p.roles, READ) : p.userId !== user.id || !has(p.scopes, READ)) throw denied;
  return user.id;
}

async function handshake(ctx: Ctx, subs: Subscriptions, url: string): Promise<void> {
  if (!(await subs.validate(url))) {
    throw new GraphError(400, 'ValidationError', 'Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.');
  }
}

export async function createSubscription(ctx: Ctx): Promise<SimResponse> {
  const subs = service(ctx);
  const body = (ctx.req.body ?? {}) as Record<string, unknown>;
  const changeType = str(body, 'changeType', true) as string;
  const notificationUrl = endpoint(str(body, 'notificationUrl', true) as string, 'notificationUrl');
  const resource = str(body, 'resource', true) as string;
  const expirationMs = expiration(ctx, str(body, 'expirationDateTime', true));
  const clientState = str(body, 'clientState', false) ?? null;
  if (clientState !== null && clientState.length > 128) throw invalid('clientState must be 128 characters or fewer.');
  const lifecycleRaw = str(body, 'lifecycleNotificationUrl', false);
  const lifecycleNotificationUrl = lifecycleRaw === undefined ? null : endpoint(lifecycleRaw, 'lifecycleNotificationUrl');
  const types = changeTypes(changeType);
  const userId = owner(ctx, resource);
  await handshake(ctx, subs, notificationUrl);
  if (lifecycleNotificationUrl && lifecycleNotificationUrl !== notificationUrl) await handshake(ctx, subs, lifecycleNotificationUrl);
  const sub: SubscriptionRecord = {
    id: subs.newId(),
    resource,
    userId,
    changeTypes: types,
    clientState,
    notificationUrl,
    lifecycleNotificationUrl,
    expirationMs,
    applicationId: ctx.principal.appId,
    creatorId: ctx.principal.kind === 'user' ? (ctx.principal.userId ?? '') : ctx.principal.appId,
    cancelExpiry: () => undefined,
  };
  subs.add(sub);
  return json(201, subscriptionJson(ctx, sub));
}

/** A subscription the caller's application owns (others' are 404, as Graph hides them). */
function mine(ctx: Ctx, subs: Subscriptions): SubscriptionRecord {
  const id = ctx.params.eventId ?? '';
  const sub = subs.get(id);
  if (!sub || sub.applicationId !== ctx.principal.appId || sub.expirationMs <= ctx.now()) {
    throw new GraphError(404, 'ResourceNotFound', `The object '${id}' doesn't exist.`);
  }
  return sub;
}

export function listSubscriptions(ctx: Ctx): SimResponse {
  const subs = service(ctx);
  const value = subs
    .list()
    .filter((s) => s.applicationId === ctx.principal.appId && s.expirationMs > ctx.now())
    .map((s) => {
      const { '@odata.context': _, ...rest } = subscriptionJson(ctx, s);
      return rest;
    });
  return json(200, { '@odata.context': `${ctx.origin}/v1.0/$metadata#subscriptions`, value });
}

export function getSubscription(ctx: Ctx): SimResponse {
  return json(200, subscriptionJson(ctx, mine(ctx, service(ctx))));
}

export async function patchSubscription(ctx: Ctx): Promise<SimResponse> {
  const subs = service(ctx);
  const sub = mine(ctx, subs);
  const body = (ctx.req.body ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(body)) {
    if (!['expirationDateTime', 'notificationUrl'].includes(key)) throw invalid(`Property '${key}' cannot be updated; only expirationDateTime and notificationUrl can.`);
  }
  const expirationMs = body.expirationDateTime === undefined ? undefined : expiration(ctx, str(body, 'expirationDateTime', true));
  const url = body.notificationUrl === undefined ? undefined : endpoint(str(body, 'notificationUrl', true) as string, 'notificationUrl');
  if (url !== undefined && url !== sub.notificationUrl) {
    await handshake(ctx, subs, url);
    sub.notificationUrl = url;
  }
  if (expirationMs !== undefined) subs.renew(sub, expirationMs);
  return json(200, subscriptionJson(ctx, sub));
}

export function deleteSubscription(ctx: Ctx): SimResponse {
  const subs = service(ctx);
  subs.remove(mine(ctx, subs).id);
  return { status: 204, headers: {}, body: null };
}
