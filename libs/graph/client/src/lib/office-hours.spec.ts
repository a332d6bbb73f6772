import { canEditEvent, isOfficeHoursEvent, OFFICE_HOURS_PROPERTY_ID } from './office-hours';

describe("Outlook's office-hours vocabulary", () => {
  it('reads the category case-insensitively, ignoring surrounding spaces', () => {
    expect(isOfficeHoursEvent({ categories: ['  office HOURS '] })).toBe(true);
    expect(isOfficeHoursEvent({ categories: ['Office hours later'] })).toBe(false);
  });

  it('reads the extended property "true" whatever the case of its id', () => {
    expect(isOfficeHoursEvent({ singleValueExtendedProperties: [{ id: OFFICE_HOURS_PROPERTY_ID.toUpperCase(), value: 'True' }] })).toBe(true);
    expect(isOfficeHoursEvent({ singleValueExtendedProperties: [{ id: OFFICE_HOURS_PROPERTY_ID, value: 'false' }] })).toBe(false);
    expect(isOfficeHoursEvent({})).toBe(false);
  });

  it('lets only the organizer edit, and not once the event is cancelled', () => {
    expect(canEditEvent({ isOrganizer: true, isCancelled: false })).toBe(true);
    expect(canEditEvent({ isOrganizer: true, isCancelled: true })).toBe(false);
    expect(canEditEvent({ isOrganizer: false, isCancelled: false })).toBe(false);
  });
});
