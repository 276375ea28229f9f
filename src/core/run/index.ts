export { parseRunInput, locate, RUN_INPUT_MAX_BYTES, type RunInput, type TextLocation } from './input';
export {
  validateRunMetadata,
  parseRunMetadata,
  formatRunMetadata,
  checkUserRunMetadata,
  tooManyUserMetadataEntries,
  RUN_METADATA_LIMITS,
  USER_RUN_METADATA_MAX_ENTRIES,
} from './metadata';
export { missingInputReferences, type MissingInputReference } from './references';
