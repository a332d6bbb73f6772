/** JSON batching: up to 20 requests, `dependsOn` ordering, 424 for failed dependencies. */
import { nextTurn } from '@ocb/clock';
import type { Rng } from '../state/prng';
import type { SimRequest, SimResponse } from './http';
import { badRequest, json, jsonParts } from './http';

interface BatchItem {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn: string[];
}

const MAX_ITEMS = 20;

function validate(body: unknown): BatchItem[] {
  const requests = (body as { requests?: unknown } | null)?.requests;
  if (!Array.isArray(requests)) throw badRequest('BadRequest', "Invalid batch payload format: the body must be an object with a 'requests' array.");
  if (requests.length === 0) throw badRequest('BadRequest', 'The batch request must contain at least one request.');
  if (requests.length > MAX_ITEMS) throw badRequest('BadRequest', `The number of batch requests (${requests.length}) exceeds the limit of ${MAX_ITEMS}.`);
  const ids = new Set<string>();
  for (const [i, r] of requests.entries()) {
    const it = r as Partial<Omit<BatchItem, 'dependsOn'>> & { dependsOn?: unknown[] } | null;
    if (!it || typeof it !== 'object') throw badRequest('BadRequest', `Batch request ${i} is not an object.`);
    if (typeof it.id !== 'string' && typeof it.id !== 'number') throw badRequest('BadRequest', `Batch request ${i} has no id.`);
    it.id = String(it.id);
    if (ids.has(it.id)) throw badRequest('BadRequest', `Batch request ids must be unique; '${it.id}' is repeated.`);
    ids.add(it.id);
    if (typeof it.method !== 'string' || !it.method) throw badRequest('BadRequest', `Batch request '${it.id}' has no method.`);
    if (typeof it.url !== 'string' || !it.url) throw badRequest('BadRequest', `Batch request '${it.id}' has no url.`);
    if (/^https?:/i.test(it.url)) throw badRequest('BadRequest', `Batch request '${it.id}': url must be relative to the version, e.g. '/me/calendarView?...'.`);
    if (it.dependsOn !== undefined && (!Array.isArray(it.dependsOn) || it.dependsOn.some((d) => typeof d !== 'string' && typeof d !== 'number'))) {
      throw badRequest('BadRequest', `Batch request '${it.id}': dependsOn must be an array of ids.`);
    }
    if (['POST', 'PATCH', 'PUT'].includes(it.method.toUpperCase()) && it.body !== undefined) {
      const ct = Object.entries(it.headers ?? {}).find(([k]) => k.toLowerCase() === 'content-type');
      if (!ct) throw badRequest('BadRequest', `Batch request '${it.id}' has a body but no Content-Type header.`);
    }
  }
  const items = (requests as Array<Omit<BatchItem, 'dependsOn'> & { dependsOn?: unknown[] }>).map((it) => ({ ...it, dependsOn: (it.dependsOn ?? []).map(String) }));
  for (const it of items) {
    for (const d of it.dependsOn) if (!ids.has(d)) throw badRequest('BadRequest', `Batch request '${it.id}' depends on unknown request '${d}'.`);
  }
  // Cycles.
  const state = new Map<string, number>();
  const byId = new Map(items.map((i) => [i.id, i]));
  const visit = (id: string): void => {
    if (state.get(id) === 2) return;
    if (state.get(id) === 1) throw badRequest('BadRequest', `Batch request dependencies form a cycle at '${id}'.`);
    state.set(id, 1);
    for (const d of byId.get(id)?.dependsOn ?? []) visit(d);
    state.set(id, 2);
  };
  for (const it of items) visit(it.id);
  return items;
}

function itemRequest(outer: SimRequest, it: BatchItem): SimRequest {
  let rel = it.url.startsWith('/') ? it.url : '/' + it.url;
  rel = rel.replace(/^\/v1\.0(?=\/|$)/i, '');
  const url = new URL(`${outer.url.origin}/v1.0${rel}`);
  const headers = new Map<string, string>();
  for (const [k, v] of Object.entries(it.headers ?? {})) headers.set(k.toLowerCase(), String(v));
  const auth = outer.headers.get('authorization');
  if (auth) headers.set('authorization', auth);
  const crid = outer.headers.get('client-request-id');
  if (crid && !headers.has('client-request-id')) headers.set('client-request-id', crid);
  let body = it.body;
  let badJson = false;
  if (typeof body === 'string' && (headers.get('content-type') ?? '').includes('json')) {
    try {
      body = JSON.parse(body);
    } catch {
      badJson = true;
    }
  }
  return { method: it.method.toUpperCase(), url, headers, body, badJson, receivedAt: outer.receivedAt };
}

/**
 * Runs a batch. `run(item, turn)` is called for every ready item at once, so each is admitted
 * (counted against the rate limits) when the batch arrives, as Graph counts them; its work waits
 * for `turn`: one event-loop turn per item, so that the requests arriving meanwhile are admitted
 * on time instead of after the whole batch was rendered.
 */
export async function runBatch(req: SimRequest, run: (item: SimRequest, turn: Promise<void>) => Promise<SimResponse>, rng: Rng): Promise<SimResponse> {
  if (req.badJson) throw badRequest('BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.');
  const items = validate(req.body);
  const done = new Map<string, SimResponse>();
  let pending = items;
  while (pending.length) {
    const ready = pending.filter((it) => it.dependsOn.every((d) => done.has(d)));
    pending = pending.filter((it) => !ready.includes(it));
    let turn: Promise<void> = Promise.resolve();
    const results = await Promise.all(
      ready.map(async (it): Promise<SimResponse> => {
        const failed = it.dependsOn.find((d) => (done.get(d)?.status ?? 0) >= 400);
        if (failed !== undefined) {
          return json(424, { error: { code: 'FailedDependency', message: `The request depends on request '${failed}', which failed.` } });
        }
        turn = turn.then(nextTurn);
        return run(itemRequest(req, it), turn);
      }),
    );
    ready.forEach((it, i) => done.set(it.id, results[i]));
  }
  const responses = items.map((it) => ({ id: it.id, res: done.get(it.id) ?? json(500, { error: { code: 'generalException', message: 'Request was not run.' } }) }));
  // Graph answers in any order: shuffle deterministically.
  for (let i = responses.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [responses[i], responses[j]] = [responses[j], responses[i]];
  }
  // The envelope as text pieces, item bodies spliced in as they were rendered (no parse and
  // re-stringify of pages, no joined copy of the whole): the same text as
  // JSON.stringify({ responses: [{ id, status, headers, body }] }).
  const parts: string[] = ['{"responses":['];
  responses.forEach(({ id, res }, i) => {
    parts.push(i === 0 ? '{"id":' : ',{"id":', JSON.stringify(id), ',"status":', JSON.stringify(res.status), ',"headers":', JSON.stringify(res.headers));
    if (res.status === 204) parts.push(',"body":null}');
    else if (res.text !== undefined) parts.push(',"body":', res.text, '}');
    else {
      const body = JSON.stringify(res.body);
      parts.push(body === undefined ? '}' : `,"body":${body}}`);
    }
  });
  parts.push(']}');
  return jsonParts(200, parts);
}
