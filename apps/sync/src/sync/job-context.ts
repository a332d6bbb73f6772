import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The Graph requests of one queue job, counted through the async context of the job's work
 * (several jobs run at once in a replica; the process-wide count would mix them up).
 */
export const jobRequests = new AsyncLocalStorage<{ requests: number }>();
