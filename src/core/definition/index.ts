export { checkDefinition, type DefinitionProblem } from './check';
export { topologicalOrder, findCycles, upstreamTasks, describeCycle } from './order';
export { parseReference, taskParameterReferences, formatReference, type Reference, type FoundReference } from './references';
export * from './types';
