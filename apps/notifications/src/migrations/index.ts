import { Reminders1767830400000 } from './1767830400000-reminders';
import { DeliveryLeases1767916800000 } from './1767916800000-delivery-leases';

/** Every migration of this service, in order. */
export const migrations = [Reminders1767830400000, DeliveryLeases1767916800000];
