import { ServiceError } from '@ocb/service-clients';
import type { Request, Response } from 'express';
import { pageContext } from './context';
import { html } from '../views/html';
import { layout } from '../views/layout';

/** A clear page for a service that is down, a missing event, or anything unexpected; never a stack trace. */
export function errorPage(req: Request, res: Response, error: unknown): void {
  const ctx = pageContext(req);
  const status = error instanceof ServiceError ? error.status : 500;
  const notFound = status === 404;
  const text = notFound ? ctx.t('notFound') : ctx.t('serviceDown');
  if (!notFound) console.error(`web: ${req.method} ${req.path}: ${error instanceof Error ? error.message : String(error)}`);
  res
    .status(notFound ? 404 : 503)
    .type('html')
    .send(layout(ctx, ctx.t('errorTitle'), html`<p role="alert">${text}</p><p><a href="/events">${ctx.t('upcoming')}</a></p>`));
}
