/** Settings of the test helpers (the only place the testing lib reads the environment). */
export const testConfig = {
  /** Server for PostgreSQL test databases; the helpers create and drop one database per suite. */
  postgresUrl: process.env['TEST_DATABASE_URL'] ?? '',
  /** Comma list restricting the database kinds (`sqlite,postgres`). */
  kinds: process.env['TEST_DATABASES'] ?? '',
  redisUrl: process.env['TEST_REDIS_URL'] ?? process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
};
