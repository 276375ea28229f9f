export * from './model';
export { graphOfDefinition, graphOfExecution, detailOf, type ExecutionLike, type TaskExecutionLike, type GraphOptions } from './build';
export { countRetries } from './retries';
export { timelineOf, criticalPath, type Timeline, type TimelineRow } from './timeline';
export { formatDuration, statusWord } from './format';
