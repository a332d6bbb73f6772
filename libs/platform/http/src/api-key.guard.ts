import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { ApiError } from './api-error';

export const PUBLIC_ROUTE = 'ocb:public';
/** Marks a route or controller as reachable without a key (browser redirects, health). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

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
 * Default-deny key check for every route: `/api/internal/**` takes the internal key (service to
 * service), everything else the platform key, unless marked `@Public()`.
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
    const internal = req.path.startsWith('/api/internal/');
    if (internal ? same(key, this.keys.internalKey) : same(key, this.keys.platformKey)) return true;
    throw new ApiError(
      401,
      'UNAUTHORIZED',
      key
        ? `Invalid ${internal ? 'internal' : 'platform'} API key`
        : `Missing API key: send Authorization: Bearer <${internal ? 'INTERNAL_API_KEY' : 'PLATFORM_API_KEY'}>`,
    );
  }
}
