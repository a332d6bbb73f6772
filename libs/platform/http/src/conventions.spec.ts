import { Body, Controller, Get, INestApplication, Module, Post } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Type } from 'class-transformer';
import { IsEmail, IsInt, IsString, Min, ValidateNested } from 'class-validator';
import request from 'supertest';
import { Public } from './api-key.guard';
import { ApiError } from './api-error';
import { configureApp } from './configure-app';
import { HealthModule } from './health';
import { MetricsModule } from './metrics';

class Inner {
  @IsEmail() email!: string;
}
class CreateThing {
  @IsString() title!: string;
  @IsInt() @Min(1) count!: number;
  @ValidateNested() @Type(() => Inner) owner!: Inner;
}

@Controller()
class ThingsController {
  @Post('things')
  create(@Body() body: CreateThing) {
    return { ok: true, title: body.title };
  }
  @Get('internal/ping')
  ping() {
    return { pong: true };
  }
  @Get('conflict')
  conflict() {
    throw ApiError.conflict('CONSENT_REQUIRED', 'connect first', { connectUrl: 'http://x/connect' });
  }
  @Public()
  @Get('boom')
  boom() {
    throw new Error('secret internals');
  }
}

let dependencyUp = true;
@Module({
  imports: [
    MetricsModule,
    HealthModule.forRoot([
      {
        name: 'database',
        check: async () => {
          if (!dependencyUp) throw new Error('connection refused');
        },
      },
    ]),
  ],
  controllers: [ThingsController],
})
class TestModule {}

describe('platform http conventions', () => {
  let app: INestApplication;
  const key = { Authorization: 'Bearer pk' };

  beforeAll(async () => {
    const ref = await Test.createTestingModule({ imports: [TestModule] }).compile();
    app = ref.createNestApplication({ logger: false });
    configureApp(app, { title: 't', keys: { platformKey: 'pk', internalKey: 'ik' }, swagger: true });
    await app.init();
  });
  afterAll(() => app.close());

  it('401 without or with a wrong platform key, in the error shape', async () => {
    const r = await request(app.getHttpServer()).post('/api/things').send({});
    expect(r.status).toBe(401);
    expect(r.body).toEqual({ statusCode: 401, code: 'UNAUTHORIZED', message: expect.stringMatching(/PLATFORM_API_KEY/) });
    expect((await request(app.getHttpServer()).post('/api/things').set('Authorization', 'Bearer nope')).status).toBe(401);
  });

  it('internal routes take the internal key only', async () => {
    expect((await request(app.getHttpServer()).get('/api/internal/ping').set(key)).status).toBe(401);
    expect((await request(app.getHttpServer()).get('/api/internal/ping').set('Authorization', 'Bearer ik')).body).toEqual({ pong: true });
  });

  it('400 VALIDATION_FAILED naming each bad field, unknown fields included', async () => {
    const r = await request(app.getHttpServer())
      .post('/api/things')
      .set(key)
      .send({ title: 'x', count: 0, owner: { email: 'not-an-email' }, extra: 1 });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('VALIDATION_FAILED');
    expect(r.body.message).toMatch(/count/);
    expect(r.body.message).toMatch(/owner\.email/);
    expect(r.body.message).toMatch(/extra: unknown field/);
  });

  it('400 for malformed JSON', async () => {
    const r = await request(app.getHttpServer()).post('/api/things').set(key).set('Content-Type', 'application/json').send('{"title":');
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('VALIDATION_FAILED');
  });

  it('accepts a valid body', async () => {
    const r = await request(app.getHttpServer()).post('/api/things').set(key).send({ title: 'x', count: 2, owner: { email: 'a@b.co' } });
    expect(r.status).toBe(201);
    expect(r.body).toEqual({ ok: true, title: 'x' });
  });

  it('404 for unknown routes and extra fields on coded errors', async () => {
    const r = await request(app.getHttpServer()).get('/api/nowhere').set(key);
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    const c = await request(app.getHttpServer()).get('/api/conflict').set(key);
    expect(c.status).toBe(409);
    expect(c.body).toEqual({ statusCode: 409, code: 'CONSENT_REQUIRED', message: 'connect first', connectUrl: 'http://x/connect' });
  });

  it('readiness answers 503 naming the dependency that is down', async () => {
    dependencyUp = false;
    try {
      const r = await request(app.getHttpServer()).get('/api/health/ready');
      expect(r.status).toBe(503);
      expect(r.body).toMatchObject({ statusCode: 503, code: 'NOT_READY', message: 'Not ready: database (connection refused)' });
    } finally {
      dependencyUp = true;
    }
  });

  it('500 without leaking internals', async () => {
    const r = await request(app.getHttpServer()).get('/api/boom');
    expect(r.status).toBe(500);
    expect(r.body).toEqual({ statusCode: 500, code: 'INTERNAL_ERROR', message: 'Internal server error' });
  });

  it('serves health, metrics and the OpenAPI document without a key', async () => {
    expect((await request(app.getHttpServer()).get('/api/health')).body).toEqual({ status: 'ok' });
    expect((await request(app.getHttpServer()).get('/api/health/ready')).status).toBe(200);
    const m = await request(app.getHttpServer()).get('/metrics');
    expect(m.status).toBe(200);
    expect(m.text).toMatch(/http_request_duration_seconds_bucket\{.*route="\/api\/things".*status="201"/);
    const d = await request(app.getHttpServer()).get('/api/docs-json');
    expect(d.status).toBe(200);
    expect(Object.keys(d.body.paths)).toContain('/api/things');
  });
});
