export { InvalidTimeZoneError, InvalidWallTimeError } from './lib/errors';
export { isValidTimeZone, resolveTimeZone, toIana, toWindows } from './lib/resolve';
export type { ResolvedTimeZone } from './lib/resolve';
export { formatGraphDateTime, formatOffset, offsetMinutes, utcToZoned, zonedToUtc } from './lib/convert';
export { listTimeZones, supportedTimeZones } from './lib/catalog';
export type { SupportedTimeZone, TimeZoneInfo, TimeZoneStandard } from './lib/catalog';
export {
  daysInMonth,
  floatingMs,
  formatDateOnly,
  formatFloatingMs,
  formatWallTime,
  isLeapYear,
  parseDateOnly,
  parseWallTime,
  wallToFloatingMs,
} from './lib/wall-time';
export type { WallTime } from './lib/wall-time';
export { floatingToInstant, zoneOffsetMs } from './lib/offsets';
export { isOutlookDate, OUTLOOK_MAX_DATE, OUTLOOK_MIN_DATE, outlookDateError } from './lib/outlook-range';
