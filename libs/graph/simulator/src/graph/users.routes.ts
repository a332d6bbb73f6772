import type { SimUser } from '../state/types';
import type { Ctx } from './context';
import type { SimResponse } from './http';
import { badRequest, json, linkWith } from './http';

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

const FILTER_PROPS: Record<string, keyof SimUser> = {
  mail: 'mail',
  userprincipalname: 'userPrincipalName',
  displayname: 'displayName',
  givenname: 'givenName',
  surname: 'surname',
  id: 'id',
};

/** `$filter` support: `prop eq 'v'` and `startswith(prop,'v')`, joined by `and`/`or`. */
export function parseUserFilter(filter: string): (u: SimUser) => boolean {
  const unsupported = () => badRequest('Request_UnsupportedQuery', `Unsupported Query. The filter '${filter}' is not supported by the simulator.`);
  const orParts = filter.split(/\s+or\s+/i);
  const ors = orParts.map((orPart) =>
    orPart.split(/\s+and\s+/i).map((clause) => {
      const c = clause.trim().replace(/^\((.*)\)$/, '$1');
      let m = /^(\w+)\s+eq\s+'((?:[^']|'')*)'$/i.exec(c);
      if (m) {
        const prop = FILTER_PROPS[m[1].toLowerCase()];
        if (!prop) throw unsupported();
        const v = m[2].replace(/''/g, "'").toLowerCase();
        return (u: SimUser) => String(u[prop] ?? '').toLowerCase() === v;
      }
      m = /^startswith\(\s*(\w+)\s*,\s*'((?:[^']|'')*)'\s*\)$/i.exec(c);
      if (m) {
        const prop = FILTER_PROPS[m[1].toLowerCase()];
        if (!prop) throw unsupported();
        const v = m[2].replace(/''/g, "'").toLowerCase();
        return (u: SimUser) => String(u[prop] ?? '').toLowerCase().startsWith(v);
      }
      throw unsupported();
    }),
  );
  return (u) => ors.some((ands) => ands.every((f) => f(u)));
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
