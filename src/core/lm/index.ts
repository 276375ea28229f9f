export * from './budget';
export { checkDefinitionSource, type DefinitionSource, inlineFileName } from './definitionCheck';
export { describeError } from './describeError';
export { explainFailureText } from './explain';
export { formatExecution, isProblemTask, type TextContext, versionName, where } from './executionText';
export { executionStatuses, MAX_WAIT_SECONDS, parseToolInput, taskStatuses, taskUpdateStatus, TOOL, toolInputs, type ToolInput, type ToolName } from './inputs';
export {
  checkVersionText,
  functionLogsText,
  getExecutionText,
  listExecutionsText,
  listWorkflowsText,
  fit,
  type ReadContext,
  retrieveExecution,
  retrieveVersion,
} from './read';
export { canonicalJson, fingerprint, inlineRunInput, inputPreview } from './write';
