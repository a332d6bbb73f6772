import { TokenStore1767225600000 } from './1767225600000-token-store';

/** Every migration of this service, in order. */
export const migrations = [TokenStore1767225600000];
