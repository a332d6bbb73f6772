import { Global, Module } from '@nestjs/common';
import { CLOCK, SystemClock } from '@ocb/clock';

/** The one provider of CLOCK (the system clock) for every service; tests override CLOCK. */
@Global()
@Module({
  providers: [{ provide: CLOCK, useClass: SystemClock }],
  exports: [CLOCK],
})
export class ClockModule {}
