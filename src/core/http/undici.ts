// The parts of undici the client uses (Pool, request()), loaded from undici's own modules instead of its
// index, and on first use. The index also loads fetch, WebSocket, EventSource, the cache stores, mocks,
// proxy agents and interceptors: about 230 KB of extension.js, none of it used here. What is left still
// takes ~15 ms to load (two llhttp WebAssembly builds, node:http2, node:tls), so activation does not pay
// for it: the first request does. undici 7 has no "exports" map, so these files are reachable, and they
// have kept these paths through 7.x; test/unit/core/http/undici.test.ts fails if an update moves them or
// changes what they export.
import type { Dispatcher, Pool } from 'undici';

export type { Pool };
export type RequestOptions = Dispatcher.RequestOptions;
export type ResponseData = Dispatcher.ResponseData;

interface Modules {
  readonly Pool: typeof Pool;
  /** What the index assigns to Dispatcher.prototype.request: `this` is the dispatcher. */
  readonly request: (this: Dispatcher, options: RequestOptions) => Promise<ResponseData>;
  readonly getGlobalDispatcher: () => Dispatcher;
}

let modules: Modules | undefined;

function undici(): Modules {
  /* eslint-disable @typescript-eslint/no-require-imports -- static paths esbuild bundles; loaded on first use (see above) */
  modules ??= {
    Pool: require('undici/lib/dispatcher/pool') as typeof Pool,
    request: require('undici/lib/api/api-request') as Modules['request'],
    getGlobalDispatcher: (require('undici/lib/global') as Pick<Modules, 'getGlobalDispatcher'>).getGlobalDispatcher,
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  return modules;
}

export function createPool(origin: string, options: Pool.Options): Pool {
  return new (undici().Pool)(origin, options);
}

/** `dispatcher.request(options)`, the method undici's index adds to every dispatcher. */
export function request(dispatcher: Dispatcher, options: RequestOptions): Promise<ResponseData> {
  return undici().request.call(dispatcher, options);
}

/** undici's top-level `request(url, options)`: one request on the global dispatcher (identity providers). */
export function requestUrl(url: string | URL, options: Omit<RequestOptions, 'origin' | 'path'>): Promise<ResponseData> {
  const target = new URL(url);
  return request(undici().getGlobalDispatcher(), { ...options, origin: target.origin, path: `${target.pathname}${target.search}` });
}
