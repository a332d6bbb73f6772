import { Writable } from 'node:stream';
import { Controller, Get, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { LoggerModule } from 'nestjs-pino';
import request from 'supertest';
import { createLogger, isSecretParam, loggerModuleParams, redactUrl } from './logger.options';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, stream };
}

describe('logging', () => {
  it('censors tokens, secrets and codes wherever they sit', () => {
    const { lines, stream } = capture();
    const log = createLogger({ service: 't', level: 'info', retentionHours: 24 }, stream);
    log.info(
      {
        req: { headers: { authorization: 'Bearer abc.def.ghi' } },
        result: { access_token: 'AT-123', refresh_token: 'RT-456', code: 'CODE-789', clientSecret: 'S-1' },
      },
      'token response',
    );
    const out = lines.join('');
    for (const secret of ['abc.def.ghi', 'AT-123', 'RT-456', 'CODE-789', 'S-1']) expect(out).not.toContain(secret);
    expect(out).toContain('[Redacted]');
    expect(JSON.parse(lines[0]).service).toBe('t');
  });

  it('removes credentials from URLs', () => {
    expect(redactUrl('/cb?code=0.AAA&state=xyz&foo=1')).toBe('/cb?code=[Redacted]&state=[Redacted]&foo=1');
  });

  it.each([
    ['/cb?code=0.AAA&state=xyz&foo=1', '/cb?code=[Redacted]&state=[Redacted]&foo=1'],
    ['/x?api_key=K1&key=K2&apikey=K3&subscription-key=K4&x-api-key=K5&page=2', '/x?api_key=[Redacted]&key=[Redacted]&apikey=[Redacted]&subscription-key=[Redacted]&x-api-key=[Redacted]&page=2'],
    ['/x?accessToken=A&id_token=B&refresh_token=C&token=D&validationToken=E', '/x?accessToken=[Redacted]&id_token=[Redacted]&refresh_token=[Redacted]&token=[Redacted]&validationToken=[Redacted]'],
    ['/x?client_secret=S&client_assertion=J&code_verifier=V&password=P&sig=G&signature=H', '/x?client_secret=[Redacted]&client_assertion=[Redacted]&code_verifier=[Redacted]&password=[Redacted]&sig=[Redacted]&signature=[Redacted]'],
    ['/x?%63ode=ENC&STATE=UP&Session_State=SS', '/x?%63ode=[Redacted]&STATE=[Redacted]&Session_State=[Redacted]'],
    ['/cb#access_token=FRAG&token_type=Bearer&expires_in=3600', '/cb#access_token=[Redacted]&token_type=[Redacted]&expires_in=3600'],
    ['/api/users/ana@contoso.com/events?q=review&from=2026-12-01&limit=20', '/api/users/ana@contoso.com/events?q=review&from=2026-12-01&limit=20'],
  ])('redacts every secret-bearing parameter of %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });

  it('judges parameter names by their words', () => {
    for (const n of ['code', 'state', 'key', 'apiKey', 'API-KEY', 'my_token', 'clientSecret', 'sas_sig', 'X-Signature']) expect(isSecretParam(n)).toBe(true);
    for (const n of ['q', 'from', 'to', 'limit', 'cursor', 'returnUrl', 'user', 'scope', 'login_hint', 'keyword', 'monkey']) expect(isSecretParam(n)).toBe(false);
  });

  it('keeps secrets of the query string out of the request log of a service', async () => {
    @Controller()
    class EchoController {
      @Get('echo')
      echo() {
        return {};
      }
    }
    const { lines, stream } = capture();
    @Module({ imports: [LoggerModule.forRoot(loggerModuleParams({ service: 't', level: 'info', retentionHours: 24 }, stream))], controllers: [EchoController] })
    class M {}
    const app = (await Test.createTestingModule({ imports: [M] }).compile()).createNestApplication({ logger: false });
    await app.init();
    await request(app.getHttpServer()).get('/echo?code=C0DE&state=ST4TE&api_key=K3Y&validationToken=V4L&page=7');
    await app.close();
    const out = lines.join('');
    expect(out).toContain('page=7');
    for (const secret of ['C0DE', 'ST4TE', 'K3Y', 'V4L']) expect(out).not.toContain(secret);
  });
});
