export { parseRunInput, locate, RUN_INPUT_MAX_BYTES, type RunInput, type TextLocation } from './input';
export { validateRunMetadata, parseRunMetadata, formatRunMetadata, RUN_METADATA_LIMITS } from './metadata';
export { addMissingKeys, missingInputReferences, type AddedKeys, type MissingInputReference } from './references';
