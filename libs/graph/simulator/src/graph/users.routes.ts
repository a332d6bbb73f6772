import type { SimUser } from '../state/types';
import type { Ctx } from './context';
import type { GraphError, SimResponse } from './http';
import { badRequest, json, linkWith } from './http';
import { compileFilter, type FilterSchema } from './odata-filter';

export function userJson(u: SimUser): Record<string, unknown> {
  return {
    businessPhones: [],
    displayName: u.displayName,
    givenName: u.givenName,
    jobTitle: u.jobTitle ?? null,
    mail: u.mail,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: 'en-US',
    surname: u.surname,
    userPrincipalName: u.userPrincipalName,
    id: u.id,
  };
}

function selectUser(u: SimUser, select: string[] | null): Record<string, unknown> {
  const full = userJson(u);
  if (!select) return full;
  const wanted = new Set(select.map((s) => s.toLowerCase()));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(full)) if (wanted.has(k.toLowerCase())) out[k] = v;
  return out;
}

/** `$filter` on users: `eq` and `startswith` on these properties (case-insensitive), joined by `and`/`or`. */
const USER_FILTER: FilterSchema<SimUser> = {
  strings: {
    mail: (u) => u.mail ?? '',
    userprincipalname: (u) => u.userPrincipalName,
    displayname: (u) => u.displayName,
    givenname: (u) => u.givenName ?? '',
    surname: (u) => u.surname ?? '',
    id: (u) => u.id,
  },
  stringOps: ['eq'],
};

export function parseUserFilter(filter: string): (u: SimUser) => boolean {
  const unsupported = (): GraphError => badRequest('Request_UnsupportedQuery', `Unsupported Query. The filter '${filter}' is not supported by the simulator.`);
  return compileFilter(filter, USER_FILTER, unsupported);
}

export function listUsers(ctx: Ctx): SimResponse {
  const top = ctx.query.has('$top') ? Number(ctx.query.get('$top')) : 100;
  if (!Number.isInteger(top) || top < 1 || top > 999) {
    throw badRequest('Request_UnsupportedQuery', "Invalid page size specified: '" + ctx.query.get('$top') + "'. Must be between 1 and 999 inclusive.");
  }
  let offset = 0;
  const skip = ctx.query.get('$skiptoken');
  if (skip) {
    const m = /^u(\d+)$/.exec(Buffer.from(skip, 'base64url').toString());
    if (!m) throw badRequest('Request_BadRequest', "Invalid value for '$skiptoken'.");
    offset = Number(m[1]);
  }
  const filter = ctx.query.get('$filter');
  const users = filter ? ctx.state.users.filter(parseUserFilter(filter)) : ctx.state.users;
  const select = ctx.select();
  const page = users.slice(offset, offset + top).map((u) => selectUser(u, select));
  const body: Record<string, unknown> = {
    '@odata.context': `${ctx.origin}/v1.0/$metadata#users${select ? `(${select.join(',')})` : ''}`,
  };
  if (ctx.query.get('$count') === 'true') body['@odata.count'] = users.length;
  if (offset + top < users.length) {
    body['@odata.nextLink'] = linkWith(ctx.req.url, { $skiptoken: Buffer.from(`u${offset + top}`).toString('base64url') });
  }
  body.value = page;
  return json(200, body);
}

export function getUser(ctx: Ctx): SimResponse {
  const u = ctx.target;
  const select = ctx.select();
  return json(200, {
    '@odata.context': `${ctx.origin}/v1.0/$metadata#users${select ? `(${select.join(',')})` : ''}/$entity`,
    ...selectUser(u, select),
  });
}
