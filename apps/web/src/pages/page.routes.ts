import { Router, type NextFunction, type Request, type Response } from 'express';
import { assistRoutes } from './assist.routes';
import { authRoutes } from './auth.routes';
import type { PageDeps } from './deps';
import { errorPage } from './errors';
import { eventEditRoutes } from './event-edit.routes';
import { eventFormRoutes } from './event-form.routes';
import { eventsRoutes } from './events.routes';
import { officeHoursRoutes } from './office-hours.routes';
import { bellCount, remindersRoutes } from './reminders.routes';

export function pageRoutes(deps: PageDeps): Router {
  const r = Router();
  r.use(bellCount(deps.platform));
  r.use(authRoutes(deps));
  r.use(remindersRoutes(deps));
  r.use(assistRoutes(deps));
  r.use(eventFormRoutes(deps));
  r.use(eventEditRoutes(deps));
  r.use(officeHoursRoutes(deps));
  r.use(eventsRoutes(deps));
  r.use((err: unknown, req: Request, res: Response, _next: NextFunction) => errorPage(req, res, err));
  return r;
}
