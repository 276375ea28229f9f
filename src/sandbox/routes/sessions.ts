// Sessions (REFERENCE §3) and GET /api/v1/token/inspect.
import * as z from 'zod/mini';
import { ApiError } from '../api-error';
import { type SandboxContext } from '../context';
import { decodeCursor, encodeCursor } from '../ids';
import { type SessionRecord } from '../model';
import { type Route } from '../router';
import { parseBody, queryInt } from '../validation';
import { sessionView } from '../views';

const createBody = z.strictObject({
  items: z
    .array(
      z.union([
        z.strictObject({ clientId: z.string().check(z.minLength(1)), clientSecret: z.string().check(z.minLength(1)) }),
        z.strictObject({ tokenExchange: z.literal(true) }),
        z.strictObject({ oneshotTokenExchange: z.literal(true) }),
      ]),
    )
    .check(z.minLength(1), z.maxLength(1)),
});

const idItems = (max: number) =>
  z.strictObject({ items: z.array(z.strictObject({ id: z.int().check(z.minimum(1)) })).check(z.minLength(1), z.maxLength(max)) });

const SESSION_STATUSES = ['READY', 'ACTIVE', 'CANCELLED', 'EXPIRED', 'REVOKED', 'ACCESS_LOST'];

export function sessionRoutes(ctx: SandboxContext): Route[] {
  const { store, sessions } = ctx;
  const missingIds = (ids: number[]): { id: number }[] => ids.filter((id) => !store.sessions.has(id)).map((id) => ({ id }));

  return [
    {
      method: 'POST',
      path: '/sessions',
      scope: 'project',
      needs: [{ acl: 'sessionsAcl', action: 'CREATE' }],
      handler: (req) => {
        const raw = req.body as { items?: unknown[] } | undefined;
        const first = Array.isArray(raw?.items) ? raw.items[0] : undefined;
        // Name the field that is wrong instead of zod's "does not match any allowed shape".
        if (first && typeof first === 'object' && !Array.isArray(first)) {
          const keys = Object.keys(first);
          if (!keys.includes('tokenExchange') && !keys.includes('oneshotTokenExchange')) {
            if (!keys.includes('clientId')) throw new ApiError(400, 'items[0].clientId: is required (or send {"tokenExchange": true}).');
            if (!keys.includes('clientSecret')) throw new ApiError(400, 'items[0].clientSecret: is required with clientId.');
          }
        }
        const [item] = parseBody(createBody, req.body).items;
        let created: { session: SessionRecord; nonce: string };
        if ('clientId' in item) created = sessions.createFromClientCredentials(item.clientId, item.clientSecret);
        // Token exchange runs as the caller. [emulator] Chained sessions (created from a session's own token)
        // are not tracked: CDF limits them to one level and refuses to bind their nonces elsewhere.
        else if ('tokenExchange' in item) created = sessions.create('TOKEN_EXCHANGE', { ...req.principal, sessionId: undefined });
        else created = sessions.create('ONESHOT_TOKEN_EXCHANGE', req.principal);
        const s = created.session;
        return {
          status: 200,
          body: { items: [{ id: s.id, type: s.type, status: s.status, nonce: created.nonce, ...(s.clientId ? { clientId: s.clientId } : {}) }] },
        };
      },
    },
    {
      method: 'GET',
      path: '/sessions',
      scope: 'project',
      needs: [{ acl: 'sessionsAcl', action: 'LIST' }],
      handler: (req) => {
        const limit = queryInt(req.query, 'limit', 25, 1, 1000);
        const statusRaw = req.query.get('status');
        const status = statusRaw?.toUpperCase();
        if (status !== undefined && !SESSION_STATUSES.includes(status)) {
          throw new ApiError(400, `status: must be one of ${SESSION_STATUSES.map((s) => s.toLowerCase()).join(', ')}`);
        }
        const cursor = req.query.get('cursor');
        const after = cursor ? decodeCursor<[number, number]>('sessions', cursor) : undefined;
        // Newest first.
        const all = [...store.sessions.values()]
          .filter((s) => status === undefined || s.status === status)
          .sort((a, b) => b.creationTime - a.creationTime || b.id - a.id);
        let start = 0;
        if (after) {
          start = all.findIndex((s) => s.creationTime < after[0] || (s.creationTime === after[0] && s.id < after[1]));
          if (start < 0) start = all.length;
        }
        const page = all.slice(start, start + limit);
        const last = page[page.length - 1];
        const more = start + limit < all.length;
        return { status: 200, body: { items: page.map(sessionView), ...(more && last ? { nextCursor: encodeCursor('sessions', [last.creationTime, last.id]) } : {}) } };
      },
    },
    {
      method: 'POST',
      path: '/sessions/byids',
      scope: 'project',
      needs: [{ acl: 'sessionsAcl', action: 'LIST' }],
      handler: (req) => {
        const { items } = parseBody(idItems(1000), req.body);
        const missing = missingIds(items.map((i) => i.id));
        if (missing.length > 0) throw new ApiError(400, 'Some sessions were not found.', { missing });
        return { status: 200, body: { items: items.map((i) => sessionView(store.sessions.get(i.id)!)) } };
      },
    },
    {
      method: 'POST',
      path: '/sessions/revoke',
      scope: 'project',
      needs: [{ acl: 'sessionsAcl', action: 'DELETE' }],
      handler: (req) => {
        const { items } = parseBody(idItems(1000), req.body);
        const missing = missingIds(items.map((i) => i.id));
        if (missing.length > 0) throw new ApiError(400, 'Some sessions were not found.', { missing });
        const canList = req.principal.capabilities.some((c) => c['sessionsAcl']?.actions.includes('LIST'));
        const revoked = items.map((i) => sessions.revoke(i.id)!);
        // Without sessionsAcl:LIST the caller only learns the ids (REFERENCE §3).
        return { status: 200, body: { items: revoked.map((s) => (canList ? sessionView(s) : { id: s.id })) } };
      },
    },
    {
      method: 'GET',
      path: '/token/inspect',
      scope: 'api',
      needs: [
        { acl: 'projectsAcl', action: 'LIST' },
        { acl: 'groupsAcl', action: 'LIST' },
      ],
      handler: (req) => ({
        status: 200,
        body: {
          subject: req.principal.subject,
          projects: [{ projectUrlName: ctx.project, groups: [groupIdFor(req.principal.clientId)] }],
          capabilities: req.principal.capabilities.map((c) => ({ ...c, projectScope: { projects: [ctx.project] } })),
        },
      }),
    },
  ];
}

/** A stable fake group id per client, so inspect answers look like CDF's. */
function groupIdFor(clientId: string): number {
  let h = 5381;
  for (const ch of clientId) h = ((h * 33) ^ ch.charCodeAt(0)) >>> 0;
  return 1_000_000_000_000_000 + h;
}
