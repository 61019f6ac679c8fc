/** Secret references: parsing and formatting only, no I/O. */
export { ReferenceSyntaxError } from './errors.js';
export { formatReference } from './format.js';
export { looksLikeReference, referenceFromHandle } from './handles.js';
export { parseReference } from './parse.js';
export { SCHEME_PARAMS, SCHEMES, type Scheme, type SecretReference, type Selector } from './types.js';
