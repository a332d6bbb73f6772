import type { MailboxFetch } from '../graph/calendar.graph';

/** Splits items into groups of `size`. */
export function groupsOf<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Runs `work` over `items` with at most `concurrency` in flight. */
export async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      await work(item);
    }
  });
  await Promise.all(workers);
}

export type OkFetch = Extract<MailboxFetch, { ok: true }>;
export type FailedFetch = Extract<MailboxFetch, { ok: false }>;
