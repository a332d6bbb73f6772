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

const SECRET_QUERY = /([?&](?:code|state|code_verifier|access_token|refresh_token|id_token|client_secret|token|session_state)=)[^&#]*/gi;

/** Removes credentials from a URL's query string before it is logged. */
export function redactUrl(url: string | undefined): string | undefined {
  return url?.replace(SECRET_QUERY, '$1[Redacted]');
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
        customProps: () => ({}),
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
