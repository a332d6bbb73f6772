import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import type { DataSource } from 'typeorm';

/** The session store's database, for readiness. */
export const SESSION_DB = Symbol('SESSION_DB');

@Controller('health')
export class HealthController {
  constructor(@Inject(SESSION_DB) private readonly db: DataSource) {}

  @Get()
  health(): { status: string } {
    return { status: 'ok' };
  }

  /** Ready when the session database answers (every page needs a session). */
  @Get('ready')
  async ready(): Promise<{ status: string }> {
    try {
      await this.db.query('SELECT 1');
      return { status: 'ok' };
    } catch {
      throw new ServiceUnavailableException({ status: 'error', info: { database: { status: 'down' } } });
    }
  }
}
