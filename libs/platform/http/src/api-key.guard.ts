import { applyDecorators, CanActivate, Controller, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { ApiError } from './api-error';

export const PUBLIC_ROUTE = 'ocb:public';
/** Marks a route or controller as reachable without a key (browser redirects, health). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

export const INTERNAL_ROUTE = 'ocb:internal';
/** Marks a route or controller as service-to-service: it takes INTERNAL_API_KEY, never the platform key. */
export const Internal = () => SetMetadata(INTERNAL_ROUTE, true);
/** A controller under `/api/internal/<path>`, marked internal: the one way to declare internal routes. */
export const InternalRoutes = (path = '') => applyDecorators(Controller(path ? `internal/${path}` : 'internal'), Internal());

/** The paths a controller or handler was declared with (Nest's route metadata), e.g. `['internal']`. */
function declaredPaths(target: object): string[] {
  const p = Reflect.getMetadata(PATH_METADATA, target) as string | string[] | undefined;
  return p === undefined ? [] : Array.isArray(p) ? p : [p];
}

/** `internal`, `/internal/x`, `INTERNAL`: the segment the internal key guards, however it is written. */
const INTERNAL_SEGMENT = /^\/*internal(\/|$)/i;

export interface ApiKeys {
  platformKey: string;
  internalKey: string;
}

export const API_KEYS = Symbol('API_KEYS');

function bearer(req: Request): string | undefined {
  const h = req.headers.authorization;
  if (typeof h === 'string' && h.startsWith('Bearer ')) return h.slice(7).trim();
  const k = req.headers['x-api-key'];
  return typeof k === 'string' ? k : undefined;
}

function same(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Default-deny key check for every route: internal routes take the internal key (service to
 * service), everything else the platform key, unless marked `@Public()`.
 *
 * Which kind a route is comes from the route the router matched — its controller's and handler's
 * metadata (`@Internal()`, or a controller declared under `internal`) — never from the request's
 * path: Express matches paths case-insensitively and decodes them, so `/api/Internal/...`,
 * `/api//internal/...` or `/api/%69nternal/...` reach the same handler as `/api/internal/...`.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeys,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    const req = context.switchToHttp().getRequest<Request>();
    const key = bearer(req);
    const internal = this.isInternal(context);
    if (internal ? same(key, this.keys.internalKey) : same(key, this.keys.platformKey)) return true;
    throw new ApiError(
      401,
      'UNAUTHORIZED',
      key
        ? `Invalid ${internal ? 'internal' : 'platform'} API key`
        : `Missing API key: send Authorization: Bearer <${internal ? 'INTERNAL_API_KEY' : 'PLATFORM_API_KEY'}>`,
    );
  }

  private isInternal(context: ExecutionContext): boolean {
    if (this.reflector.getAllAndOverride<boolean>(INTERNAL_ROUTE, [context.getHandler(), context.getClass()])) return true;
    // a controller declared under `internal` without the marker is internal all the same
    return [...declaredPaths(context.getClass()), ...declaredPaths(context.getHandler())].some((p) => INTERNAL_SEGMENT.test(p));
  }
}
