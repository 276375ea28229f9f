// Control routes only the sandbox has (/_sandbox/...): fault injection, token expiry, device approval,
// the request log. They need a valid access token of the sandbox (as every API route does, so a web page
// cannot reach them), are never faulted and are not in the request log.
import { ApiError } from '../api-error';
import { type FaultInjector, type FaultRule, validateFaultRule } from '../faults';
import { type Identity } from '../identity';
import { type RequestLog } from '../request-log';
import { type Route } from '../router';

export interface ControlDeps {
  faults: FaultInjector;
  requests: RequestLog;
  identity: Identity;
  /** The sandbox's connection details, for tools that attach to a running sandbox. */
  info: () => Record<string, unknown>;
}

/** Fault rules over HTTP: `path` is a string, or `{ "regex": "...", "flags": "i" }` for a RegExp. */
function ruleFromJson(body: unknown): FaultRule {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ApiError(400, 'The body must be a fault rule object {"path", "count", "kind"}.');
  const b = body as Record<string, unknown>;
  let path: string | RegExp;
  if (typeof b['path'] === 'string') path = b['path'];
  else if (b['path'] && typeof b['path'] === 'object' && typeof (b['path'] as { regex?: unknown }).regex === 'string') {
    const p = b['path'] as { regex: string; flags?: string };
    try {
      path = new RegExp(p.regex, p.flags ?? '');
    } catch (err) {
      throw new ApiError(400, `path.regex: ${(err as Error).message}`);
    }
  } else throw new ApiError(400, 'path: is required, as a string or {"regex": "..."}');
  const rule: FaultRule = { path, count: b['count'] as number, kind: b['kind'] as FaultRule['kind'] };
  if (typeof b['method'] === 'string') rule.method = b['method'];
  if (b['retryAfterSeconds'] !== undefined) rule.retryAfterSeconds = b['retryAfterSeconds'] as number;
  if (b['delayMs'] !== undefined) rule.delayMs = b['delayMs'] as number;
  try {
    validateFaultRule(rule);
  } catch (err) {
    throw new ApiError(400, (err as Error).message);
  }
  return rule;
}

export function controlRoutes(d: ControlDeps): Route[] {
  const route = (method: string, path: string, handler: Route['handler']): Route => ({ method, path: `/_sandbox${path}`, scope: 'root', auth: true, handler });
  return [
    route('GET', '/info', () => ({ status: 200, body: d.info() })),
    route('POST', '/faults', (req) => {
      const rules = Array.isArray(req.body) ? req.body.map(ruleFromJson) : [ruleFromJson(req.body)];
      for (const r of rules) d.faults.add(r);
      return { status: 200, body: { active: d.faults.active.map((r) => ({ ...r, path: String(r.path) })) } };
    }),
    route('GET', '/faults', () => ({ status: 200, body: { active: d.faults.active.map((r) => ({ ...r, path: String(r.path) })) } })),
    route('DELETE', '/faults', () => {
      d.faults.clear();
      return { status: 200, body: {} };
    }),
    route('POST', '/tokens/expire', () => {
      d.identity.expireTokens();
      return { status: 200, body: {} };
    }),
    route('POST', '/device/approve', (req) => {
      const userCode = (req.body as { userCode?: unknown } | undefined)?.userCode;
      if (typeof userCode !== 'string') throw new ApiError(400, 'userCode: is required (the user_code of the device sign-in).');
      d.identity.approveDeviceCode(userCode, (req.body as { approve?: unknown }).approve !== false);
      return { status: 200, body: {} };
    }),
    route('GET', '/requests', () => ({ status: 200, body: { items: d.requests.list } })),
    route('DELETE', '/requests', () => {
      d.requests.reset();
      return { status: 200, body: {} };
    }),
  ];
}
