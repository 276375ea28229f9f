// Route table: path patterns with :params, matched most-specific first; 405 when only the method differs.
import { type IncomingHttpHeaders } from 'node:http';
import { type CapabilityNeed } from './capabilities';
import { type Principal } from './identity';

export interface ApiRequest {
  method: string;
  pathname: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body (undefined when the body was empty or the route takes raw bytes). */
  body: unknown;
  rawBody: Buffer;
  /** Set for routes that need a Bearer token. */
  principal: Principal;
  requestId: string;
}

export interface ApiResponse {
  status: number;
  /** Serialized as JSON unless `raw` is given. */
  body?: unknown;
  raw?: Buffer | string;
  contentType?: string;
  headers?: Record<string, string>;
}

/** Where a route lives: under /api/v1/projects/{project}, under /api/v1, or at the server root. */
export type RouteScope = 'project' | 'api' | 'root';

export interface Route {
  method: string;
  /** Pattern relative to its scope, e.g. '/workflows/:workflowExternalId'. */
  path: string;
  scope: RouteScope;
  /** Needs a valid Bearer token (default: true for project and api routes). */
  auth?: boolean;
  /** Capabilities the caller must hold (all of them). */
  needs?: CapabilityNeed[];
  /** How to read the body: JSON (default), raw bytes, or an HTML/OAuth form. */
  body?: 'json' | 'raw' | 'form';
  handler: (req: ApiRequest) => ApiResponse | Promise<ApiResponse>;
}

interface CompiledRoute {
  route: Route;
  segments: string[];
  staticCount: number;
}

const PROJECT_PREFIX = ['api', 'v1', 'projects', ':__project'];
const API_PREFIX = ['api', 'v1'];

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

export class Router {
  private readonly compiled: CompiledRoute[] = [];

  add(...routes: Route[]): void {
    for (const route of routes) {
      const own = route.path.split('/').filter(Boolean);
      const prefix = route.scope === 'project' ? PROJECT_PREFIX : route.scope === 'api' ? API_PREFIX : [];
      const segments = [...prefix, ...own];
      this.compiled.push({ route, segments, staticCount: segments.filter((s) => !s.startsWith(':')).length });
    }
  }

  /** The best route for a path; `methodMismatch` when the path exists for other methods only. */
  match(method: string, pathname: string): RouteMatch | { methodMismatch: string[] } | undefined {
    let parts: string[];
    try {
      parts = pathname.split('/').filter(Boolean).map((p) => decodeURIComponent(p));
    } catch {
      return undefined;
    }
    let best: { c: CompiledRoute; params: Record<string, string> } | undefined;
    const otherMethods = new Set<string>();
    for (const c of this.compiled) {
      if (c.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < parts.length; i++) {
        const seg = c.segments[i];
        if (seg.startsWith(':')) params[seg.slice(1)] = parts[i]!;
        else if (seg !== parts[i]) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      if (c.route.method !== method) {
        otherMethods.add(c.route.method);
        continue;
      }
      if (!best || c.staticCount > best.c.staticCount) best = { c, params };
    }
    if (best) return { route: best.c.route, params: best.params };
    if (otherMethods.size > 0) return { methodMismatch: [...otherMethods] };
    return undefined;
  }
}
