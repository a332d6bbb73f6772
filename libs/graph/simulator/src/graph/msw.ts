/** Fetch Request/Response ↔ the router's transport-neutral shapes. */
import { HttpResponse } from 'msw';
import type { SimRequest, SimResponse } from './http';
import { responseText } from './http';

export async function toSimRequest(request: Request): Promise<SimRequest> {
  const headers = new Map<string, string>();
  request.headers.forEach((v, k) => headers.set(k.toLowerCase(), v));
  const method = request.method.toUpperCase();
  let body: unknown;
  let badJson = false;
  if (method !== 'GET' && method !== 'HEAD' && method !== 'DELETE') {
    const text = await request.text();
    if (text.trim()) {
      try {
        body = JSON.parse(text);
      } catch {
        badJson = true;
      }
    }
  }
  return { method, url: new URL(request.url), headers, body, badJson };
}

export function toResponse(res: SimResponse): Response {
  if (res.reset) return HttpResponse.error();
  return new HttpResponse(responseText(res), { status: res.status, headers: res.headers });
}
