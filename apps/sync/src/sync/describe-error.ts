import { GraphApiError } from '@ocb/graph-client';

/** One line for a log or a run's failure list. */
export function describe(error: unknown): string {
  if (error instanceof GraphApiError) return `${error.status} ${error.code || error.kind}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
