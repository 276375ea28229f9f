export { parseRunInput, locate, RUN_INPUT_MAX_BYTES, type RunInput, type TextLocation } from './input';
export { validateRunMetadata, parseRunMetadata, formatRunMetadata, RUN_METADATA_LIMITS } from './metadata';
export { missingInputReferences, type MissingInputReference } from './references';
