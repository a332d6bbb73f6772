import type { MigrationInterface, QueryRunner } from 'typeorm';

export class WebSessions1768000000000 implements MigrationInterface {
  name = 'WebSessions1768000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE TABLE "web_session" ("sid" varchar(128) PRIMARY KEY NOT NULL, "data" text NOT NULL, "expiresAt" bigint NOT NULL)');
    await q.query('CREATE INDEX "IDX_web_session_expires" ON "web_session" ("expiresAt")');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE "web_session"');
  }
}
