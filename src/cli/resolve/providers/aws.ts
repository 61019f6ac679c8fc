import { GetSecretValueCommand, SecretsManagerClient, SecretsManagerServiceException } from '@aws-sdk/client-secrets-manager';
import type { SecretReference } from '../../references/index.js';
import { ResolutionError, type FailureKind } from '../errors.js';
import type { AwsTarget } from '../instances.js';

/** A version id is what AWS generates (a UUID); anything else after "@" is a stage label. */
const VERSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const KINDS: Record<string, FailureKind> = {
  ResourceNotFoundException: 'not_found',
  AccessDeniedException: 'auth',
  UnrecognizedClientException: 'auth',
  InvalidSignatureException: 'auth',
  ExpiredTokenException: 'auth',
  IncompleteSignature: 'auth',
  InvalidRequestException: 'unreadable',
  DecryptionFailure: 'unreadable',
};

const versionOf = (reference: SecretReference): { VersionId?: string; VersionStage?: string } => {
  const { version_id: versionId, version_stage: versionStage } = reference.params;
  if (versionId) {
    return { VersionId: versionId };
  }
  if (versionStage) {
    return { VersionStage: versionStage };
  }
  if (reference.version === undefined) {
    return { VersionStage: 'AWSCURRENT' };
  }
  return VERSION_ID.test(reference.version) ? { VersionId: reference.version } : { VersionStage: reference.version };
};

const clients = new Map<string, SecretsManagerClient>();

// The SDK warns on every run under Node 20 that its future releases will need Node 22:
// a note for whoever upgrades the dependency, not for someone reading a secret.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/**
 * GetSecretValue through the AWS SDK v3 (JSON 1.1, SigV4). The locator is the secret
 * name, slashes included, or an ARN. The SDK's chain supplies what the instance does
 * not: region, credentials, and AWS_ENDPOINT_URL_SECRETS_MANAGER / AWS_ENDPOINT_URL.
 */
export const fetchAws = async (reference: SecretReference, target: AwsTarget, text: string): Promise<Buffer> => {
  const key = JSON.stringify([target.region, target.endpoint, reference.instance]);
  let client = clients.get(key);
  if (!client) {
    client = new SecretsManagerClient({
      ...(target.region ? { region: target.region } : {}),
      ...(target.endpoint ? { endpoint: target.endpoint } : {}),
      ...(target.credentials ? { credentials: target.credentials() } : {}),
      maxAttempts: 2,
    });
    clients.set(key, client);
  }
  try {
    const answer = await client.send(new GetSecretValueCommand({ SecretId: reference.segments.join('/'), ...versionOf(reference) }));
    if (answer.SecretString !== undefined) {
      return Buffer.from(answer.SecretString, 'utf8');
    }
    if (answer.SecretBinary !== undefined) {
      return Buffer.from(answer.SecretBinary);
    }
    throw new ResolutionError('provider', text, 'the answer has neither SecretString nor SecretBinary');
  } catch (error) {
    if (error instanceof ResolutionError) {
      throw error;
    }
    if (error instanceof SecretsManagerServiceException) {
      const kind = KINDS[error.name] ?? 'provider';
      const reason = kind === 'not_found' ? 'secret or version not found' : kind === 'auth' ? `authentication failed (${error.name})` : `AWS answered ${error.name}`;
      throw new ResolutionError(kind, text, reason);
    }
    const message = error instanceof Error ? error.message : String(error);
    const missingSetup = /region|credential/i.test(message);
    throw new ResolutionError(missingSetup ? 'config' : 'unreachable', text, missingSetup ? message : `cannot reach AWS Secrets Manager (${message})`);
  }
};
