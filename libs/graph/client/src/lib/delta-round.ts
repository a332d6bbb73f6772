import { GraphApiError } from './errors';
import type { GraphPage } from './models';

/**
 * One delta round: from `start` (a start path or a stored deltaLink), page by page through
 * nextLinks until `@odata.deltaLink`. `@removed` entries come back as ids in `removed`; an item
 * removed then added again (or the reverse) ends as its last state.
 */
export async function deltaRound<T extends { id: string }>(
  get: (link: string) => Promise<GraphPage<T & { '@removed'?: unknown }>>,
  start: string,
): Promise<{ items: T[]; removed: string[]; deltaLink: string }> {
  const byId = new Map<string, T>();
  const removed = new Set<string>();
  let next: string | undefined = start;
  for (;;) {
    const page = await get(next);
    for (const item of page.value ?? []) {
      if (item['@removed'] !== undefined) {
        byId.delete(item.id);
        removed.add(item.id);
      } else {
        removed.delete(item.id);
        byId.set(item.id, item);
      }
    }
    if (page['@odata.deltaLink'])
      return { items: [...byId.values()], removed: [...removed], deltaLink: page['@odata.deltaLink'] };
    next = page['@odata.nextLink'];
    if (!next)
      throw new GraphApiError({
        status: 200,
        code: 'MissingDeltaLink',
        message: 'delta round ended without @odata.deltaLink',
        kind: 'unknown',
      });
  }
}
