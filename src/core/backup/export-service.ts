import { createExportWriter, type ExportVersionMeta } from '../../shared/backup/export-format.js';
import { parsePublicKey, RecipientKeyError } from '../../shared/backup/recipient-keys.js';
import { formatMicros, type Clock } from '../../shared/clock.js';
import { invalidField, preconditionFailed } from '../../shared/errors.js';
import { fullSecretPath, type Actor, type IamService, type Project } from '../iam/index.js';
import type { KeyService } from '../keys/index.js';
import { authorizeSecret, type Secret, type SecretService, type SecretStore } from '../secrets/index.js';

export interface ExportServiceDeps {
  store: Pick<SecretStore, 'listVersions' | 'readVersionWithPayload'>;
  secrets: Pick<SecretService, 'listAll'>;
  keys: Pick<KeyService, 'openPayload'>;
  iam: Pick<IamService, 'authorize'> & { resolveProject(actor: Actor, projectId: string | null | undefined): Promise<Project> };
  clock: Clock;
}

export interface ExportRequest {
  region: string;
  projectId: string | null;
  pathPrefix: string | null;
  tags: string[];
  /** The importer's X25519 public key (`coffer-x25519-public:…`). */
  recipient: string;
}

const ALL_VERSIONS = { page: 1, pageSize: 1_000_000 };

/**
 * Exports selected secrets with every version and its state, each payload opened here
 * and sealed at once to the recipient's key: no clear value leaves the process.
 */
export const createExportService = ({ store, secrets, keys, iam, clock }: ExportServiceDeps) => {
  async function* linesOf(request: ExportRequest, project: Project, selected: Secret[]): AsyncGenerator<string> {
    const writer = createExportWriter(request.recipient, { region: request.region, project_id: project.id, path_prefix: request.pathPrefix, tags: request.tags }, formatMicros(clock.nowMicros()));
    yield writer.header();
    for (const secret of selected) {
      const versions = (await store.listVersions(secret.id, [], ALL_VERSIONS)).items.sort((left, right) => left.revision - right.revision);
      const items: (ExportVersionMeta & { data: Buffer | null })[] = [];
      for (const version of versions) {
        const found = version.status === 'deleted' ? null : await store.readVersionWithPayload(request.region, secret.id, version.revision);
        const data = found?.sealed
          ? await keys.openPayload({ projectId: secret.projectId, region: request.region, secretId: secret.id, revision: version.revision, keyId: secret.keyId }, found.sealed)
          : null;
        items.push({ revision: version.revision, status: version.status, description: version.description, created_at: formatMicros(version.createdAt), data });
      }
      yield writer.secret({ name: secret.name, path: secret.path, type: secret.type, description: secret.description, tags: secret.tags, protected: secret.protected }, items);
    }
    yield writer.trailer();
  }

  return {
    /** Every refusal (bad key, missing right on any selected secret) comes before the first line. */
    async open(actor: Actor, request: ExportRequest): Promise<AsyncIterable<string>> {
      try {
        parsePublicKey(request.recipient);
      } catch (error) {
        if (error instanceof RecipientKeyError) {
          throw invalidField('recipient', 'format', error.message);
        }
        throw error;
      }
      const project = await iam.resolveProject(actor, request.projectId);
      // Access on all that is asked, checked before listing: a caller limited to some paths exports under them only.
      iam.authorize(actor, 'secrets:version:access', {
        organizationId: project.organizationId,
        projectId: project.id,
        region: request.region,
        ...(request.pathPrefix === null ? {} : { path: request.pathPrefix }),
      });
      const selected = await secrets.listAll(actor, request.region, {
        projectId: project.id,
        pathPrefix: request.pathPrefix,
        tags: request.tags,
        scheduledForDeletion: false,
      });
      const now = clock.nowMicros();
      for (const secret of selected) {
        authorizeSecret(iam, actor, secret, secret.id, 'secrets:version:access');
        // A deactivated or expired secret serves no payload through any API, exports included.
        if (secret.disabledAt !== null || (secret.expiresAt !== null && secret.expiresAt <= now)) {
          throw preconditionFailed(
            'secret_not_readable',
            `secret ${fullSecretPath(secret.path, secret.name)} is deactivated or expired, so its payloads cannot be exported: enable it, or leave it out of the selection`,
          );
        }
      }
      return linesOf(request, project, selected);
    },
  };
};

export type ExportService = ReturnType<typeof createExportService>;
