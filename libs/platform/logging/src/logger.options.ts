import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname } from 'node:path';
import { mkdirSync } from 'node:fs';
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';

export interface LoggingSettings {
  service: string;
  level: string;
  /** Also write to this file, rotated hourly. */
  file?: string;
  /** Hourly files kept (the seed's "keep 24 hours of logs for support"). */
  retentionHours: number;
}

/** Everything that may carry a credential is censored wherever it appears in a log line. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-internal-key"]',
  'res.headers["set-cookie"]',
  '*.authorization',
  '*.password',
  '*.secret',
  '*.clientSecret',
  '*.client_secret',
  '*.accessToken',
  '*.access_token',
  '*.refreshToken',
  '*.refresh_token',
  '*.idToken',
  '*.id_token',
  '*.code',
  '*.code_verifier',
  '*.codeVerifier',
  '*.token',
  '*.apiKey',
];

/**
 * Query parameters that carry credentials, by name: OAuth's (`code`, `state`, `code_verifier`,
 * `client_secret`, `client_assertion`, tokens, `session_state`), API keys (`key`, `api_key`,
 * `apikey`, `subscription-key`...), signatures (`sig`, `signature`), passwords, and Graph's
 * `validationToken`. The rule is on the name's words, so `x-api-key`, `accessToken`, `SAS_sig` or
 * `%63ode` (an encoded `code`) are caught as well as the listed spellings.
 */
const SECRET_NAME_EXACT = new Set(['code', 'state', 'sig', 'key', 'pw', 'pwd', 'pass', 'nonce', 'otp', 'auth', 'authorization', 'jwt', 'assertion', 'session_state']);
const SECRET_NAME_WORD = /token|secret|password|passwd|passphrase|signature|verifier|assertion|credential|api_?key|apikey|access_?key|private_?key|subscription_?key|session|cookie|(^|_)key$|(^|_)sig$|(^|_)code$/;

/** Whether a query parameter of this name (as sent, possibly percent-encoded) carries a secret. */
export function isSecretParam(rawName: string): boolean {
  let name = rawName;
  try {
    name = decodeURIComponent(rawName.replace(/\+/g, ' '));
  } catch {
    // malformed escapes: judge the raw text
  }
  // words joined by '_' whatever the separator or casing: accessToken, access-token, Access_Token
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return SECRET_NAME_EXACT.has(words) || SECRET_NAME_WORD.test(words);
}

/** Removes credentials from a URL's query string (and fragment) before it is logged. */
export function redactUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const q = url.indexOf('?');
  const h = url.indexOf('#');
  if (q < 0 && h < 0) return url;
  const cut = (i: number): number => (i < 0 ? url.length : i);
  const base = url.slice(0, Math.min(cut(q), cut(h)));
  const query = q >= 0 ? url.slice(q + 1, h > q ? h : url.length) : undefined;
  const fragment = h >= 0 ? url.slice(h + 1) : undefined;
  const clean = (part: string): string =>
    part
      .split('&')
      .map((pair) => {
        const eq = pair.indexOf('=');
        const name = eq < 0 ? pair : pair.slice(0, eq);
        return eq >= 0 && isSecretParam(name) ? `${name}=[Redacted]` : pair;
      })
      .join('&');
  // an implicit-flow answer puts tokens in the fragment: same rule
  return base + (query !== undefined ? `?${clean(query)}` : '') + (fragment !== undefined ? `#${clean(fragment)}` : '');
}

export function requestIdOf(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && /^[\w.:-]{1,128}$/.test(incoming) ? incoming : randomUUID();
  res.setHeader('x-request-id', id);
  return id;
}

export function pinoOptions(settings: LoggingSettings): LoggerOptions {
  return {
    level: settings.level,
    base: { service: settings.service },
    redact: { paths: REDACT_PATHS, censor: '[Redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
}

/**
 * Log destination: stdout, plus an hourly-rotated file keeping `retentionHours` files when
 * LOG_FILE is set (pino-roll runs in a worker thread).
 */
export function pinoDestination(settings: LoggingSettings): DestinationStream | undefined {
  if (!settings.file) return undefined;
  mkdirSync(dirname(settings.file), { recursive: true });
  return pino.transport({
    targets: [
      { target: 'pino/file', options: { destination: 1 }, level: settings.level },
      {
        target: 'pino-roll',
        level: settings.level,
        options: {
          file: settings.file,
          frequency: 'hourly',
          mkdir: true,
          limit: { count: settings.retentionHours },
        },
      },
    ],
  });
}

/** nestjs-pino parameters: JSON lines, a request id on every line, credentials redacted. */
export function loggerModuleParams(settings: LoggingSettings, destination?: DestinationStream): Params {
  return {
    // every route, in path-to-regexp v8 syntax (nestjs-pino's default '*' is the legacy form)
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
    pinoHttp: [
      {
        ...pinoOptions(settings),
        genReqId: requestIdOf,
        serializers: {
          req: (req: { id?: string; method?: string; url?: string }) => ({
            id: req.id,
            method: req.method,
            url: redactUrl(req.url),
          }),
          res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
        },
        autoLogging: { ignore: (req: IncomingMessage) => req.url === '/metrics' || req.url === '/api/health' },
        customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) =>
          err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      },
      (destination ?? pinoDestination(settings) ?? pino.destination(1)) as DestinationStream,
    ],
  };
}

/** A plain logger for code outside a request (bootstrap, crons, scripts). */
export function createLogger(settings: LoggingSettings, destination?: DestinationStream): Logger {
  return pino(pinoOptions(settings), destination ?? pinoDestination(settings) ?? pino.destination(1));
}
