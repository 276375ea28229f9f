// Types for the undici modules that src/core/http/undici.ts loads directly (undici ships types for its index
// only). Each is what the index re-exports under the same name; `declare` keeps esbuild, which also
// compiles this file (to an empty module), from asking for values.
declare module 'undici/lib/dispatcher/pool' {
  import { Pool } from 'undici';
  export = Pool;
}

declare module 'undici/lib/api/api-request' {
  import { type Dispatcher } from 'undici';
  /** The index assigns this to Dispatcher.prototype.request: `this` is the dispatcher. */
  function request(this: Dispatcher, options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData>;
  export = request;
}

declare module 'undici/lib/global' {
  import { type Dispatcher } from 'undici';
  export function getGlobalDispatcher(): Dispatcher;
}
