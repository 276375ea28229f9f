// What route modules share: the store, the clock and the services that act on them.
import { type Clock } from './clock';
import { type ExecutionEngine } from './engine';
import { type FunctionRunner } from './function-runner';
import { type Identity } from './identity';
import { type Scheduler } from './scheduler';
import { type SessionService } from './sessions';
import { type Store } from './store';

export interface SandboxContext {
  clock: Clock;
  store: Store;
  identity: Identity;
  sessions: SessionService;
  engine: ExecutionEngine;
  functions: FunctionRunner;
  scheduler: Scheduler;
  project: string;
  /** http://127.0.0.1:PORT once the server listens. */
  baseUrl: () => string;
}
