export { parseRunInput, locate, type RunInput, type TextLocation } from './input';
export {
  checkInputBytes,
  describeMetadataLength,
  jsonInputBytes,
  metadataLength,
  RUN_INPUT_MAX_BYTES,
  RUN_INPUT_MAX_DEPTH,
  RUN_METADATA_LIMITS,
  RUN_METADATA_USER_ENTRIES,
} from './limits';
export { checkUserRunMetadataEntries, formatRunMetadata, parseRunMetadata, validateRunMetadata, validateUserRunMetadata } from './metadata';
export { addMissingKeys, missingInputReferences, type AddedKeys, type MissingInputReference } from './references';
