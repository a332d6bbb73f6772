import { WebSessions1768000000000 } from './1768000000000-web-sessions';

/** Every migration of the web app's database (its sessions), in order. */
export const migrations = [WebSessions1768000000000];
