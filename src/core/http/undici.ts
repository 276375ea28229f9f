// The parts of undici the client uses (Pool, request()), loaded from undici's own modules instead of its
// index. The index also loads fetch, WebSocket, EventSource, the cache stores, mocks, proxy agents and
// interceptors: about 230 KB of extension.js, and load time at activation, none of it used here.
// undici 7 has no "exports" map, so these files are reachable, and they have kept these paths through 7.x;
// test/unit/core/http/undici.test.ts fails if an update moves them or changes what they export.
import type { Dispatcher } from 'undici';
import dispatchRequest from 'undici/lib/api/api-request';
import Pool from 'undici/lib/dispatcher/pool';
import { getGlobalDispatcher } from 'undici/lib/global';

export { Pool };

export type RequestOptions = Dispatcher.RequestOptions;
export type ResponseData = Dispatcher.ResponseData;

/** `dispatcher.request(options)`, the method undici's index adds to every dispatcher. */
export function request(dispatcher: Dispatcher, options: RequestOptions): Promise<ResponseData> {
  return dispatchRequest.call(dispatcher, options);
}

/** undici's top-level `request(url, options)`: one request on the global dispatcher (identity providers). */
export function requestUrl(url: string | URL, options: Omit<RequestOptions, 'origin' | 'path'>): Promise<ResponseData> {
  const target = new URL(url);
  return request(getGlobalDispatcher(), { ...options, origin: target.origin, path: `${target.pathname}${target.search}` });
}
