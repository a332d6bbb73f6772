import { Writable } from 'node:stream';
import { createLogger, redactUrl } from './logger.options';

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
});
