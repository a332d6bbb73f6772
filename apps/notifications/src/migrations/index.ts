import { Reminders1767830400000 } from './1767830400000-reminders';

/** Every migration of this service, in order. */
export const migrations = [Reminders1767830400000];
