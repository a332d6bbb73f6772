import type { Clock } from '@ocb/clock';
import type { SimPrincipal, SimUser } from '../state/types';
import type { SimState } from '../state/store';
import type { Mailbox } from '../state/mailbox';
import type { Rng } from '../state/prng';
import type { Subscriptions } from '../subscriptions/subscriptions';
import type { SimZone } from '../state/time';
import { resolveZone, UTC_ZONE } from '../state/time';
import type { RenderPrefs } from './render';
import type { SimRequest } from './http';
import { badRequest, GraphError, header } from './http';

export interface GraphOptions {
  /** Host name of Graph as clients call it in process (the default host). */
  graphHost: string;
  /** Identity platform origin advertised in WWW-Authenticate when requests come to `graphHost`. */
  authorityOrigin: string;
  /** Origin of Outlook on the web in webLink values. */
  outlookWebOrigin: string;
  /** Origin of Teams join URLs. */
  teamsOrigin: string;
}

export interface GraphDeps {
  state: SimState;
  clock: Clock;
  rng: Rng;
  options: GraphOptions;
  /** Change notifications (absent in pipelines built without them). */
  subscriptions?: Subscriptions;
}

export interface RouteParams {
  me: boolean;
  user?: string;
  eventId?: string;
  tzStandard?: string;
}

export class Ctx {
  user?: SimUser;
  mailbox?: Mailbox;
  readonly query = new Map<string, string>();
  readonly preferenceApplied: string[] = [];
  private zonePref: { zone: SimZone; name: string } | null | undefined;

  constructor(
    readonly req: SimRequest,
    readonly deps: GraphDeps,
    readonly principal: SimPrincipal,
    readonly params: RouteParams,
  ) {
    for (const [k, v] of req.url.searchParams) this.query.set(k.toLowerCase(), v);
  }

  /** The user the route addresses (resolved before handlers run). */
  get target(): SimUser {
    if (!this.user) throw new Error('route has no target user');
    return this.user;
  }

  /** The addressed user's mailbox (resolved before calendar handlers run). */
  get mb(): Mailbox {
    if (!this.mailbox) throw new Error('route has no mailbox');
    return this.mailbox;
  }

  get origin(): string {
    return this.req.url.origin;
  }

  get state(): SimState {
    return this.deps.state;
  }

  now(): number {
    return this.deps.clock.now();
  }

  /** '/me' or '/users/{id}' as the client addressed the mailbox. */
  get userPath(): string {
    return this.params.me ? '/me' : `/users/${encodeURIComponent(this.params.user ?? '')}`;
  }

  private preferParts(): string[] {
    const all = this.req.headers.get('prefer');
    return all ? all.split(',').map((p) => p.trim()).filter(Boolean) : [];
  }

  /** `Prefer: outlook.timezone="..."` (Windows or IANA); null when absent. */
  preferredZone(): { zone: SimZone; name: string } | null {
    if (this.zonePref !== undefined) return this.zonePref;
    this.zonePref = null;
    for (const p of this.preferParts()) {
      const m = /^outlook\.timezone\s*=\s*"?([^"]*)"?$/i.exec(p);
      if (!m) continue;
      const zone = resolveZone(m[1]);
      if (!zone) {
        throw new GraphError(400, 'TimeZoneNotSupportedException', `A valid TimeZone value must be specified. The following TimeZone value is not supported: '${m[1]}'.`);
      }
      this.zonePref = { zone, name: m[1].trim() };
      this.preferenceApplied.push(`outlook.timezone="${m[1].trim()}"`);
    }
    return this.zonePref;
  }

  preferBodyText(): boolean {
    for (const p of this.preferParts()) {
      const m = /^outlook\.body-content-type\s*=\s*"?(text|html)"?$/i.exec(p);
      if (m) {
        this.preferenceApplied.push(`outlook.body-content-type="${m[1].toLowerCase()}"`);
        return m[1].toLowerCase() === 'text';
      }
    }
    return false;
  }

  maxPageSize(): number | undefined {
    for (const p of this.preferParts()) {
      const m = /^odata\.maxpagesize\s*=\s*(\d+)$/i.exec(p);
      if (m) {
        this.preferenceApplied.push(`odata.maxpagesize=${m[1]}`);
        return Math.max(1, Number(m[1]));
      }
    }
    return undefined;
  }

  select(): string[] | null {
    const s = this.query.get('$select');
    return s ? s.split(',').map((x) => x.trim()).filter(Boolean) : null;
  }

  expandExtended(): ((id: string) => boolean) | null {
    const e = this.query.get('$expand');
    if (!e) return null;
    const m = /singleValueExtendedProperties(?:\((.*)\))?/i.exec(e);
    if (!m) throw badRequest('BadRequest', `Parsing OData Select and Expand failed: Could not find a property named '${e}' on type 'microsoft.graph.event'.`);
    if (!m[1]) return () => true;
    const ids = [...m[1].matchAll(/id\s+eq\s+'((?:[^']|'')*)'/gi)].map((x) => x[1].replace(/''/g, "'").toLowerCase());
    return (id) => ids.includes(id);
  }

  /** Render preferences; `defaultUtc`: reads answer in UTC unless told otherwise, writes in the event's zone. */
  renderPrefs(defaultUtc: boolean): RenderPrefs {
    const z = this.preferredZone();
    return {
      zone: z ? z.zone : defaultUtc ? UTC_ZONE : null,
      zoneName: z ? z.name : defaultUtc ? 'UTC' : null,
      bodyText: this.preferBodyText(),
      select: this.select(),
      expandExtended: this.expandExtended(),
      outlookWebOrigin: this.deps.options.outlookWebOrigin,
    };
  }

  header(name: string): string | undefined {
    return header(this.req, name);
  }
}
