/** Events: create, read, update, delete (with series, occurrences and attendee copies). */
import type { Ctx } from './context';
import type { SimResponse } from './http';
import { badRequest, json, notFound } from './http';
import { newEventOf, parseEventBody } from './event-input';
import { renderInstance, renderRecord } from './render';
import type { Resolved } from '../state/store';

function resolveOr404(ctx: Ctx): Resolved {
  const r = ctx.state.resolve(ctx.mb, ctx.params.eventId ?? '');
  if (!r) throw notFound();
  return r;
}

function entityContext(ctx: Ctx): string {
  return `${ctx.origin}/v1.0/$metadata#users('${encodeURIComponent(ctx.target.id)}')/events/$entity`;
}

function joinUrlFactory(ctx: Ctx): () => string {
  return () => {
    const rng = ctx.deps.rng;
    const meeting = Buffer.from(rng.guid()).toString('base64').replace(/=+$/, '');
    const context = encodeURIComponent(JSON.stringify({ Tid: ctx.state.tenantId, Oid: ctx.target.id }));
    return `${ctx.deps.options.teamsOrigin}/l/meetup-join/19%3ameeting_${meeting}%40thread.v2/0?context=${context}`;
  };
}

function respond(ctx: Ctx, status: number, body: Record<string, unknown>): SimResponse {
  const res = json(status, { '@odata.context': entityContext(ctx), ...body });
  if (ctx.preferenceApplied.length) res.headers['Preference-Applied'] = ctx.preferenceApplied.join(', ');
  return res;
}

export function createEvent(ctx: Ctx): SimResponse {
  const mb = ctx.mb;
  if (ctx.req.badJson) throw badRequest('BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.');
  const parsed = parseEventBody(ctx.req.body, undefined, { mailboxZone: ctx.target.timeZone, joinUrl: joinUrlFactory(ctx) });
  const prefs = ctx.renderPrefs(false);
  if (parsed.transactionId) {
    const existing = mb.transactions.get(parsed.transactionId);
    // Graph answers a repeated transactionId with the event first created with it (same body, 201).
    if (existing && !existing.deleted) return respond(ctx, 201, renderRecord(existing, prefs));
  }
  const rec = ctx.state.createEvent(mb, newEventOf(parsed));
  const res = respond(ctx, 201, renderRecord(rec, prefs));
  res.headers.Location = `${ctx.origin}/v1.0/users('${ctx.target.id}')/events('${rec.id}')`;
  return res;
}

export function getEvent(ctx: Ctx): SimResponse {
  const r = resolveOr404(ctx);
  const prefs = ctx.renderPrefs(true);
  if (r.originalStartMs === null) return respond(ctx, 200, renderRecord(r.record, prefs));
  const inst = ctx.state.occurrence(r.record, r.originalStartMs);
  if (!inst) throw notFound();
  return respond(ctx, 200, renderInstance(inst, prefs));
}

export function patchEvent(ctx: Ctx): SimResponse {
  const r = resolveOr404(ctx);
  if (ctx.req.badJson) throw badRequest('BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.');
  const prefs = ctx.renderPrefs(false);
  const st = ctx.state;
  const ictx = { mailboxZone: ctx.target.timeZone, joinUrl: joinUrlFactory(ctx) };
  if (r.originalStartMs !== null) {
    const inst = st.occurrence(r.record, r.originalStartMs);
    if (!inst) throw notFound();
    const parsed = parseEventBody(ctx.req.body, inst.fields, ictx, false);
    if (Object.keys(parsed.fields).length) st.patchOccurrence(r.record, r.originalStartMs, parsed.fields);
    if (Object.keys(parsed.personal).length) st.patchPersonal(r.record, parsed.personal);
    const after = st.occurrence(r.record, r.originalStartMs);
    if (!after) throw notFound();
    return respond(ctx, 200, renderInstance(after, prefs));
  }
  const parsed = parseEventBody(ctx.req.body, r.record.content, ictx, true);
  if (Object.keys(parsed.fields).length || parsed.recurrence !== undefined) {
    st.patchContent(r.record, { fields: parsed.fields, recurrence: parsed.recurrence });
  }
  if (Object.keys(parsed.personal).length) st.patchPersonal(r.record, parsed.personal);
  return respond(ctx, 200, renderRecord(r.record, prefs));
}

export function deleteEvent(ctx: Ctx): SimResponse {
  const r = resolveOr404(ctx);
  if (r.originalStartMs !== null) ctx.state.deleteOccurrence(r.record, r.originalStartMs);
  else ctx.state.deleteEvent(r.record);
  return { status: 204, headers: {}, body: null };
}
