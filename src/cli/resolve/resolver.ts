import { formatReference, looksLikeReference, parseReference, ReferenceSyntaxError, type SecretReference } from '../references/index.js';
import { ResolutionError } from './errors.js';
import { awsTarget, ovhTarget, scalewayTarget, vaultTarget } from './instances.js';
import { fetchAws } from './providers/aws.js';
import { fetchOvh } from './providers/ovh.js';
import { fetchScaleway } from './providers/scaleway.js';
import { fetchVault } from './providers/vault.js';
import { selectValue } from './select.js';

const fetchDocument = (reference: SecretReference, text: string, profile: string | undefined): Promise<Buffer> => {
  switch (reference.scheme) {
    case 'coffer':
    case 'scw':
      return fetchScaleway(reference, scalewayTarget(reference, text, profile), text);
    case 'vault':
      return fetchVault(reference, vaultTarget(reference, text), text);
    case 'ovh':
      return fetchOvh(reference, ovhTarget(reference, text), text);
    case 'aws':
      return fetchAws(reference, awsTarget(reference, text), text);
  }
};

/** Parses text into a reference, turning a syntax error into the CLI's error with its column. */
export const parseOrFail = (text: string): SecretReference => {
  try {
    return parseReference(text);
  } catch (error) {
    if (error instanceof ReferenceSyntaxError) {
      throw new ResolutionError('syntax', text, `syntax error at column ${error.column}: ${error.reason}\n${error.pointer()}`);
    }
    throw error;
  }
};

/**
 * Resolves references for one command. Documents (payloads before the selector) are
 * memoised by the reference without its selector, and concurrent identical fetches
 * share one promise, so `#user` and `#password` of one secret cost one request.
 * Nothing is written to disk.
 */
export class Resolver {
  private readonly documents = new Map<string, Promise<Buffer>>();

  /** `profile` is the Coffer profile for coffer:// references that name no instance (`--profile`). */
  constructor(private readonly options: { profile?: string | undefined } = {}) {}

  async resolve(reference: SecretReference): Promise<string> {
    const documentKey = formatReference(reference, { withSelector: false });
    let document = this.documents.get(documentKey);
    if (!document) {
      document = fetchDocument(reference, documentKey, this.options.profile);
      this.documents.set(documentKey, document);
    }
    const text = formatReference(reference);
    let payload: Buffer;
    try {
      payload = await document;
    } catch (error) {
      // The fetch is shared by every selector of the document: name the reference asked for.
      throw error instanceof ResolutionError ? new ResolutionError(error.kind, text, error.reason) : error;
    }
    return selectValue(payload, reference.selector, text);
  }

  resolveText(text: string): Promise<string> {
    return this.resolve(parseOrFail(text));
  }

  /** How many provider requests were made: tests check the cache with it. */
  get fetchCount(): number {
    return this.documents.size;
  }
}

export { looksLikeReference, ResolutionError };
