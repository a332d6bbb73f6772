/** How the simulator reaches a subscriber's endpoint: one POST with a deadline. */
export interface NotificationPost {
  url: string;
  contentType: string;
  body: string;
  timeoutMs: number;
}

/** status 0: no answer (network error or over the deadline). */
export interface NotificationAnswer {
  status: number;
  text: string;
  contentType?: string;
}

export type NotificationTransport = (post: NotificationPost) => Promise<NotificationAnswer>;

/** The default transport: `fetch`, aborted at the deadline (Graph counts a slow answer as a failure). */
export const deliverPost: NotificationTransport = async ({ url, contentType, body, timeoutMs }) => {
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': contentType }, body, signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.text();
    return { status: res.status, text, contentType: res.headers.get('content-type') ?? undefined };
  } catch {
    return { status: 0, text: '' };
  }
};
