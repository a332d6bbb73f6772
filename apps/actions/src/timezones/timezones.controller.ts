import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CLOCK, type Clock } from '@ocb/clock';
import { listTimeZones, type TimeZoneInfo } from '@ocb/time-zones';

@ApiTags('timezones')
@Controller('timezones')
export class TimezonesController {
  constructor(@Inject(CLOCK) private readonly clock: Clock) {}

  @Get()
  @ApiOperation({ summary: 'Every Windows time zone Outlook accepts, with its IANA zone and current offset' })
  list(): TimeZoneInfo[] {
    return listTimeZones(new Date(this.clock.now()));
  }
}
