import type { GraphEvent } from './models';

/**
 * Outlook's vocabulary for office hours, one home for the writer (actions) and the reader (sync):
 * the actions service tags an office-hours event with this single-value extended property (value
 * "true") and this category; either marks it.
 */
export const OFFICE_HOURS_PROPERTY_ID = 'String {66f5a359-4659-4830-9070-00047ec6ac6e} Name OfficeHours';
/** The category written on office hours; read case-insensitively, ignoring surrounding spaces. */
export const OFFICE_HOURS_CATEGORY = 'Office hours';
/** `$expand` that brings the tag property along with an event. */
export const OFFICE_HOURS_EXPAND = `singleValueExtendedProperties($filter=id eq '${OFFICE_HOURS_PROPERTY_ID}')`;

const PROPERTY_LOWER = OFFICE_HOURS_PROPERTY_ID.toLowerCase();
const CATEGORY_LOWER = OFFICE_HOURS_CATEGORY.toLowerCase();

/** Whether an event is tagged as office hours (the property "true", or the category). */
export function isOfficeHoursEvent(e: Pick<GraphEvent, 'categories' | 'singleValueExtendedProperties'>): boolean {
  if (e.categories?.some((c) => c.trim().toLowerCase() === CATEGORY_LOWER)) return true;
  return e.singleValueExtendedProperties?.some((p) => p.id.toLowerCase() === PROPERTY_LOWER && p.value.trim().toLowerCase() === 'true') === true;
}

/** Whether the user may change or cancel an event: its organizer, while it is not cancelled. */
export function canEditEvent(e: { isOrganizer: boolean; isCancelled: boolean }): boolean {
  return e.isOrganizer && !e.isCancelled;
}
