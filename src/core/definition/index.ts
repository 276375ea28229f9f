export { checkDefinition, type DefinitionProblem, type DefinitionProblemCode } from './check';
export { topologicalOrder, findCycles, upstreamTasks, describeCycle } from './order';
export { parseReference, taskParameterReferences, formatReference, type Reference, type FoundReference } from './references';
export * from './types';
// Definition documents, their checks and the Toolkit project (see each module's header).
export {
  type DefinitionDocument,
  type DefinitionResource,
  type DefinitionKind,
  type DefinitionFormat,
  type DefinitionShape,
  type ResourceIdentity,
  parseDefinitionDocument,
  resourceIdentity,
  toolkitKindOf,
  definitionFormatOf,
  mayBeDefinitionJson,
} from './document';
export {
  type DefinitionFinding,
  type FindingSeverity,
  type LocatedFinding,
  type TextCheckOptions,
  type VersionLookup,
  type TemplateContext,
  diagnoseDefinition,
  checkDefinitionText,
} from './diagnose';
export { SchemaSet } from './schema/schemaSet';
export { type ToolkitVariables, type ToolkitProject, type ToolkitEnvironment, toolkitVariablesFor, findToolkitProject } from './toolkitProject';
export { type TemplatePlaceholder, type ToolkitVariableValue, substituteTemplates } from './templates';
