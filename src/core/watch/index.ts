export * from './executionWatcher';
export { Emitter, type Disposable, type Listener } from './emitter';
