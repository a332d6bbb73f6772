/** calendarView, its delta, /events listing, instances and supported time zones. */
import { nextTurn } from '@ocb/clock';
import type { Instance, EventRecord } from '../state/records';
import { supportedTimeZones as zoneCatalog } from '@ocb/time-zones';
import { parseQueryInstant } from '../state/time';
import type { Ctx } from './context';
import type { SimResponse } from './http';
import { badRequest, GraphError, json, jsonText, linkWith, notFound } from './http';
import { renderInstance, renderRecord } from './render';
import { pushInstanceJson } from './render-text';
import { parseEventFilter } from './event-filter';

const MISSING_WINDOW = 'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.';

export function timeWindow(ctx: Ctx): { from: number; to: number } {
  const s = ctx.query.get('startdatetime');
  const e = ctx.query.get('enddatetime');
  if (!s || !e) throw badRequest('ErrorInvalidParameter', MISSING_WINDOW);
  const from = parseQueryInstant(s);
  const to = parseQueryInstant(e);
  if (Number.isNaN(from)) throw badRequest('ErrorInvalidParameter', `The value '${s}' of parameter 'StartDateTime' is invalid.`);
  if (Number.isNaN(to)) throw badRequest('ErrorInvalidParameter', `The value '${e}' of parameter 'EndDateTime' is invalid.`);
  if (to < from) throw badRequest('ErrorInvalidParameter', "The parameter 'EndDateTime' must be later than 'StartDateTime'.");
  return { from, to };
}

function pageSize(ctx: Ctx, dflt: number): number {
  const top = ctx.query.get('$top');
  const preferred = ctx.maxPageSize();
  if (top !== undefined) {
    const n = Number(top);
    if (!Number.isInteger(n) || n < 0) throw badRequest('ErrorInvalidParameter', `The value '${top}' of parameter '$top' is invalid.`);
    return Math.min(Math.max(n, 1), 1000);
  }
  return preferred !== undefined ? Math.min(preferred, 1000) : dflt;
}

function skip(ctx: Ctx): number {
  const v = ctx.query.get('$skip');
  if (v === undefined) return 0;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw badRequest('ErrorInvalidParameter', `The value '${v}' of parameter '$skip' is invalid.`);
  return n;
}

function ordered(ctx: Ctx, items: Instance[]): Instance[] {
  const ob = ctx.query.get('$orderby');
  if (!ob) return items;
  const m = /^start\/datetime(\s+(asc|desc))?$/i.exec(ob.trim());
  if (!m) {
    if (/^subject(\s+(asc|desc))?$/i.test(ob.trim())) {
      const desc = /desc$/i.test(ob.trim());
      return [...items].sort((a, b) => (desc ? -1 : 1) * a.fields.subject.localeCompare(b.fields.subject));
    }
    throw badRequest('ErrorInvalidProperty', `The $orderby expression '${ob}' is not supported.`);
  }
  return m[2]?.toLowerCase() === 'desc' ? [...items].reverse() : items;
}

function withPreferenceHeaders(ctx: Ctx, res: SimResponse): SimResponse {
  if (ctx.preferenceApplied.length) res.headers['Preference-Applied'] = ctx.preferenceApplied.join(', ');
  return res;
}

export function calendarView(ctx: Ctx): SimResponse {
  const { from, to } = timeWindow(ctx);
  const prefs = ctx.renderPrefs(true);
  const size = pageSize(ctx, 10);
  const offset = skip(ctx);
  // The mailbox's sorted view is cached per (mailbox version, window): paging only slices it.
  const all = ordered(ctx, ctx.state.view(ctx.mb, from, to));
  const end = Math.min(all.length, offset + size);
  const parts: string[] = ['', ',"value":['];
  for (let i = offset; i < end; i++) {
    if (i > offset) parts.push(',');
    pushInstanceJson(parts, all[i], prefs);
  }
  // Same text as JSON.stringify({ '@odata.context', '@odata.nextLink'?, value }).
  let text = '{"@odata.context":' + JSON.stringify(`${ctx.origin}/v1.0/$metadata#users('${encodeURIComponent(ctx.target.id)}')/calendarView`);
  if (offset + size < all.length) {
    text += ',"@odata.nextLink":' + JSON.stringify(linkWith(ctx.req.url, { $skip: String(offset + size), $top: ctx.query.has('$top') ? String(size) : null }));
  }
  parts[0] = text;
  parts.push(']}');
  return withPreferenceHeaders(ctx, jsonText(200, parts.join('')));
}

export function listEvents(ctx: Ctx): SimResponse {
  const prefs = ctx.renderPrefs(true);
  const size = pageSize(ctx, 10);
  const offset = skip(ctx);
  const filter = ctx.query.get('$filter');
  const records = ctx.state.records(ctx.mb);
  const all = filter ? records.filter(parseEventFilter(filter)) : records;
  const body: Record<string, unknown> = {
    '@odata.context': `${ctx.origin}/v1.0/$metadata#users('${encodeURIComponent(ctx.target.id)}')/events`,
  };
  if (offset + size < all.length) body['@odata.nextLink'] = linkWith(ctx.req.url, { $skip: String(offset + size) });
  body.value = all.slice(offset, offset + size).map((r) => renderRecord(r, prefs));
  return withPreferenceHeaders(ctx, json(200, body));
}

export function instances(ctx: Ctx): SimResponse {
  const { from, to } = timeWindow(ctx);
  const resolved = ctx.state.resolve(ctx.mb, ctx.params.eventId ?? '');
  if (!resolved || resolved.originalStartMs !== null) throw notFound();
  const prefs = ctx.renderPrefs(true);
  const all = ctx.state.instancesOf(resolved.record, from, to).sort((a, b) => a.startMs - b.startMs);
  const size = pageSize(ctx, 10);
  const offset = skip(ctx);
  const body: Record<string, unknown> = {
    '@odata.context': `${ctx.origin}/v1.0/$metadata#users('${encodeURIComponent(ctx.target.id)}')/events('${encodeURIComponent(resolved.record.id)}')/instances`,
  };
  if (offset + size < all.length) body['@odata.nextLink'] = linkWith(ctx.req.url, { $skip: String(offset + size) });
  body.value = all.slice(offset, offset + size).map((i) => renderInstance(i, prefs));
  return withPreferenceHeaders(ctx, json(200, body));
}

// ---- delta ----

interface DeltaState {
  /** 'i': initial sync pages; 'c': changes since `base`. */
  phase: 'i' | 'c';
  mailbox: number;
  salt: number;
  base: number;
  version: number;
  from: number;
  to: number;
  offset: number;
}

function encodeDelta(s: DeltaState): string {
  return Buffer.from([s.phase, s.mailbox, s.salt, s.base, s.version, s.from, s.to, s.offset].join('.')).toString('base64url');
}

function decodeDelta(token: string): DeltaState | undefined {
  const parts = Buffer.from(token, 'base64url').toString().split('.');
  if (parts.length !== 8 || (parts[0] !== 'i' && parts[0] !== 'c')) return undefined;
  const n = parts.slice(1).map(Number);
  if (n.some((x) => !Number.isFinite(x))) return undefined;
  return { phase: parts[0], mailbox: n[0], salt: n[1], base: n[2], version: n[3], from: n[4], to: n[5], offset: n[6] };
}

function syncStateNotFound(): GraphError {
  return new GraphError(410, 'SyncStateNotFound', 'The sync state was not found or has expired. Please restart the synchronization without a delta or skip token (full sync).');
}

const REMOVED = (id: string) => ({ '@odata.type': '#microsoft.graph.event', id, '@removed': { reason: 'deleted' } });

function visible(list: Instance[]): Instance[] {
  return list.filter((i) => !i.record.isCancelled);
}

/** The visible part of a cached view, cached with it (delta pages slice it). */
const visibleViews = new WeakMap<Instance[], Instance[]>();
function visibleView(view: Instance[]): Instance[] {
  let v = visibleViews.get(view);
  if (!v) {
    v = visible(view);
    visibleViews.set(view, v);
  }
  return v;
}

/** Items of a delta page rendered per event-loop turn (a page of 1,000 is ~20 ms of work). */
const RENDER_SLICE = 50;

export async function delta(ctx: Ctx): Promise<SimResponse> {
  const mb = ctx.mb;
  const skipToken = ctx.query.get('$skiptoken');
  const deltaToken = ctx.query.get('$deltatoken');
  let st: DeltaState;
  if (skipToken || deltaToken) {
    const d = decodeDelta(skipToken ?? deltaToken ?? '');
    if (!d || d.mailbox !== mb.index || d.salt !== mb.salt || d.version > mb.version || d.base > d.version) throw syncStateNotFound();
    // Changes since a version inside the bulk-seeded range are not in the log.
    if ((deltaToken ? d.version : d.phase === 'c' ? d.base : d.version) < mb.baseline) throw syncStateNotFound();
    if (deltaToken) st = { ...d, phase: 'c', base: d.version, version: mb.version, offset: 0 };
    else st = d;
  } else {
    const { from, to } = timeWindow(ctx);
    st = { phase: 'i', mailbox: mb.index, salt: mb.salt, base: 0, version: mb.version, from, to, offset: 0 };
  }
  const prefs = ctx.renderPrefs(true);
  const size = ctx.maxPageSize() ?? 10;
  const parts: string[] = ['', ',"value":['];
  let total: number;
  if (st.phase === 'i') {
    const all = visibleView(ctx.state.view(mb, st.from, st.to));
    total = all.length;
    const end = Math.min(total, st.offset + size);
    // Each slice is rendered into its own small array and joined before the turn: only one string
    // per slice outlives the turn. (Thousands of small pieces held across turns were all promoted
    // to the old generation, and scavenges took 15-20 ms each: late arrival stamps, 429s.)
    let slice: string[] = [];
    for (let i = st.offset; i < end; i++) {
      if (i > st.offset) slice.push(',');
      // a turn now and then: connections and requests arriving meanwhile are served on time
      if ((i - st.offset) % RENDER_SLICE === RENDER_SLICE - 1) {
        parts.push(slice.join(''));
        slice = [];
        await nextTurn();
      }
      pushInstanceJson(slice, all[i], prefs, DELTA_ITEM_HEAD);
    }
    parts.push(slice.join(''));
  } else {
    const changes = changedItems(ctx, st);
    total = changes.length;
    const end = Math.min(total, st.offset + size);
    for (let i = st.offset; i < end; i++) {
      const c = changes[i];
      if (i > st.offset) parts.push(',');
      if (typeof c === 'string') parts.push(JSON.stringify(REMOVED(c)));
      else pushInstanceJson(parts, c, prefs, DELTA_ITEM_HEAD);
    }
  }
  const base = `${ctx.origin}/v1.0${ctx.userPath}/calendarView/delta`;
  // Same text as JSON.stringify({ '@odata.context', '@odata.nextLink' | '@odata.deltaLink', value }).
  let text = '{"@odata.context":' + JSON.stringify(`${ctx.origin}/v1.0/$metadata#Collection(event)`);
  if (st.offset + size < total) text += ',"@odata.nextLink":' + JSON.stringify(`${base}?$skiptoken=${encodeDelta({ ...st, offset: st.offset + size })}`);
  else text += ',"@odata.deltaLink":' + JSON.stringify(`${base}?$deltatoken=${encodeDelta({ ...st, phase: 'c', offset: 0 })}`);
  parts[0] = text;
  parts.push(']}');
  return withPreferenceHeaders(ctx, jsonText(200, parts.join('')));
}

/** Opens each delta item: `{ '@odata.type': '#microsoft.graph.event', ...event }`. */
const DELTA_ITEM_HEAD = '{"@odata.type":"#microsoft.graph.event",';

/** Instances to send (created/updated) and ids to remove, for changes in (base, version]. */
function changedItems(ctx: Ctx, st: DeltaState): Array<Instance | string> {
  const mb = ctx.mb;
  const firstBefore = new Map<number, EventRecord | null>();
  for (let i = mb.logIndexAfter(st.base); i < mb.log.length; i++) {
    const e = mb.log[i];
    if (e.version > st.version) break;
    if (!firstBefore.has(e.seq)) firstBefore.set(e.seq, e.before);
  }
  const out: Array<Instance | string> = [];
  for (const [seq, before] of firstBefore) {
    const old = before ? visible(ctx.state.instancesOf(before, st.from, st.to)) : [];
    const cur = mb.items[seq];
    const now = cur && !cur.isCancelled ? ctx.state.instancesOf(cur, st.from, st.to) : [];
    const nowIds = new Set(now.map((i) => i.id));
    for (const o of old) if (!nowIds.has(o.id)) out.push(o.id);
    out.push(...now);
  }
  return out;
}

// ---- supported time zones ----

export function supportedTimeZones(ctx: Ctx): SimResponse {
  const standard = (ctx.params.tzStandard ?? 'windows').toLowerCase();
  if (standard !== 'windows' && standard !== 'iana') {
    throw badRequest('ErrorInvalidParameter', `The value '${ctx.params.tzStandard}' of parameter 'TimeZoneStandard' is invalid.`);
  }
  // Display names carry the offset in force now (on the simulator's clock).
  const value = zoneCatalog(standard === 'iana' ? 'Iana' : 'Windows', new Date(ctx.now()));
  return json(200, { '@odata.context': `${ctx.origin}/v1.0/$metadata#Collection(microsoft.graph.timeZoneInformation)`, value });
}
