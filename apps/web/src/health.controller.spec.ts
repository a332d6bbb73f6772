import { ServiceUnavailableException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HealthController } from './health.controller';

describe('web health', () => {
  it('is ready while the session database answers, 503 once it does not', async () => {
    const ds = await new DataSource({ type: 'better-sqlite3', database: ':memory:' }).initialize();
    const health = new HealthController(ds);
    expect(health.health()).toEqual({ status: 'ok' });
    await expect(health.ready()).resolves.toEqual({ status: 'ok' });
    await ds.destroy();
    await expect(health.ready()).rejects.toBeInstanceOf(ServiceUnavailableException);
  });
});
