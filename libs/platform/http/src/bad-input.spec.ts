import { Body, Controller, Get, INestApplication, Module, Patch, Post, Query } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { IsOptional, IsString, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { configureApp } from './configure-app';
import { MetricsModule } from './metrics';
import { parseInstant, refuseControlCharacters } from './validation';

class Nested {
  @IsOptional() @ValidateNested() @Type(() => Nested) child?: Nested;
}
class PatchThing {
  @IsOptional() @IsString() title?: string;
  @IsOptional() @ValidateNested() @Type(() => Nested) nested?: Nested;
}

const writes: unknown[] = [];

@Controller('things')
class ThingsController {
  @Patch()
  patch(@Body() body: PatchThing) {
    writes.push(body);
    return { ok: true };
  }
  @Post('raw')
  raw(@Body() body: unknown) {
    writes.push(body);
    return { ok: true };
  }
  @Get()
  list(@Query('from') from?: string, @Query('q') q?: string) {
    return { from: from === undefined ? null : parseInstant(from, 'from'), q: q === undefined ? null : refuseControlCharacters(q, 'q') };
  }
}

@Module({ imports: [MetricsModule], controllers: [ThingsController] })
class BadInputModule {}

describe('bad input is a 4xx in the contract shape, never a 5xx, and writes nothing', () => {
  let app: INestApplication;
  const key = { Authorization: 'Bearer pk' };
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    const ref = await Test.createTestingModule({ imports: [BadInputModule] }).compile();
    app = ref.createNestApplication({ logger: false });
    configureApp(app, { title: 't', keys: { platformKey: 'pk', internalKey: 'ik' }, swagger: false });
    await app.init();
  });
  afterAll(() => app.close());
  beforeEach(() => (writes.length = 0));

  it('an unsupported charset in Content-Type: 415 naming it', async () => {
    const r = await http().patch('/api/things').set(key).set('Content-Type', 'application/json; charset=klingon').send('{"title":"x"}');
    expect(r.status).toBe(415);
    expect(r.body).toEqual({ statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: expect.stringMatching(/^Content-Type: unsupported charset "klingon"/) });
    expect(writes).toEqual([]);
  });

  it('an unknown Content-Encoding: 415 naming it', async () => {
    const r = await http().patch('/api/things').set(key).set('Content-Type', 'application/json').set('Content-Encoding', 'zstd-ish').send('{"title":"x"}');
    expect(r.status).toBe(415);
    expect(r.body).toEqual({ statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: expect.stringMatching(/^Content-Encoding: unsupported "zstd-ish"/) });
  });

  it('a body that is not gzip under Content-Encoding: gzip: 400 in the contract shape, no zlib code', async () => {
    const r = await http().patch('/api/things').set(key).set('Content-Type', 'application/json').set('Content-Encoding', 'gzip').send('{"title":"not gzip"}');
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ statusCode: 400, code: 'VALIDATION_FAILED', message: 'body: not valid gzip data (Content-Encoding: gzip)' });
    expect(writes).toEqual([]);
  });

  it('a real gzip body is still read', async () => {
    // supertest would serialise a Buffer as JSON under a JSON Content-Type: send the bytes with node:http
    await app.listen(0, '127.0.0.1');
    const port = (app.getHttpServer().address() as AddressInfo).port;
    const zipped = gzipSync('{"title":"zipped"}');
    const body = await new Promise<string>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port, method: 'PATCH', path: '/api/things', headers: { ...key, 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': zipped.length } },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve(text));
        },
      );
      req.on('error', reject);
      req.end(zipped);
    });
    expect(JSON.parse(body)).toEqual({ ok: true });
    expect(writes).toEqual([{ title: 'zipped' }]);
  });

  it('a body over the size limit: 413', async () => {
    const r = await http().post('/api/things/raw').set(key).set('Content-Type', 'application/json').send(`{"a":"${'x'.repeat(200_000)}"}`);
    expect(r.status).toBe(413);
    expect(r.body).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE' });
  });

  it.each([100, 5_000, 40_000])('JSON nested %i levels deep: 400 naming the depth limit', async (depth) => {
    const deep = '['.repeat(depth) + ']'.repeat(depth);
    for (const path of ['/api/things', '/api/things/raw']) {
      const r = await http()[path.endsWith('raw') ? 'post' : 'patch'](path).set(key).set('Content-Type', 'application/json').send(`{"title":"x","nested":${deep}}`);
      expect(r.status).toBe(400);
      expect(r.body).toEqual({ statusCode: 400, code: 'VALIDATION_FAILED', message: 'body: nested deeper than 64 levels' });
    }
    expect(writes).toEqual([]);
  });

  it('JSON within the depth limit is accepted', async () => {
    const r = await http().post('/api/things/raw').set(key).send({ a: { b: { c: [[[1]]] } } });
    expect(r.status).toBe(201);
  });

  it.each([
    ['[{"title":"x"}]', 'array'],
    ['"text"', 'string'],
    ['42', 'number'],
    ['null', 'null'],
    ['true', 'boolean'],
  ])('a PATCH body that is %s: 400 saying the body must be a JSON object', async (raw) => {
    const r = await http().patch('/api/things').set(key).set('Content-Type', 'application/json').send(raw);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ statusCode: 400, code: 'VALIDATION_FAILED', message: 'body: must be a JSON object' });
    expect(writes).toEqual([]);
  });

  it.each(['2027-02-30', '2027-13-01', '2027-02-29T10:00:00Z', '2026-12-01T24:00:00Z', '2026-12-01T10:60:00Z', '2026-12-01T10:00:61Z', '2026-12-01T10:00:00+15:00', 'yesterday', '0000-01-01T00:00:00Z'])(
    'an impossible date in a query parameter (%s): 400 naming the parameter',
    async (from) => {
      const r = await http().get('/api/things').query({ from }).set(key);
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', message: expect.stringMatching(/^from: /) });
    },
  );

  it.each([
    ['2028-02-29', '2028-02-29T00:00:00.000Z'],
    ['2026-12-01T10:00:00Z', '2026-12-01T10:00:00.000Z'],
    ['2026-12-01T10:00:00.123+05:30', '2026-12-01T04:30:00.123Z'],
    ['2026-12-01T10:00', '2026-12-01T10:00:00.000Z'],
  ])('a real date %s is read as %s', async (from, expected) => {
    const r = await http().get('/api/things').query({ from }).set(key);
    expect(r.status).toBe(200);
    expect(r.body.from).toBe(expected);
  });

  it.each(['a\u0000b', '\u0000', 'x\u0007y', 'line\u001bbreak'])('a control character in q (%j): 400 naming q', async (q) => {
    const r = await http().get('/api/things').query({ q }).set(key);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ statusCode: 400, code: 'VALIDATION_FAILED', message: 'q: must not contain control characters' });
  });
});
