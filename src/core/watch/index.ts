export * from './executionWatcher';
export * from './intervals';
export * from './runningExecutionsWatcher';
export { Emitter, type Disposable, type Listener } from './emitter';
