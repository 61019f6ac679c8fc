import type { OpenedSecret } from '../../shared/backup/export-format.js';
import { CliError, EXIT } from '../errors.js';
import { createProgress } from '../progress.js';
import type { Session } from './common.js';

type Version = OpenedSecret['versions'][number];

/** Whether a revision ends up disabled, scheduled for deletion, or as it was created (enabled). */
const finalStep = (version: Version | undefined): 'keep' | 'disable' | 'delete' =>
  version === undefined || version.status === 'deleted' || version.status === 'scheduled_for_deletion' ? 'delete' : version.status === 'disabled' ? 'disable' : 'keep';

/**
 * Recreates each secret through the Scaleway API, its revisions numbered as in the
 * source. A revision whose payload is gone (destroyed, or pruned away) is recreated with
 * a payload of the same secret and scheduled for deletion at once, so numbering holds and
 * no value appears that the secret did not already have.
 */
export const importSecrets = async (session: Session, secrets: readonly OpenedSecret[]): Promise<{ secrets: number; versions: number }> => {
  const projectId = session.client.projectId;
  for (const secret of secrets) {
    const taken = await session.call<{ total_count: number }>(
      'GET',
      `${session.base}/secrets?name=${encodeURIComponent(secret.name)}&path=${encodeURIComponent(secret.path)}${projectId ? `&project_id=${projectId}` : ''}`,
    );
    if ((taken?.total_count ?? 0) > 0) {
      throw new CliError(`import refused, nothing written: ${secret.path === '/' ? '' : secret.path}/${secret.name} already exists on the target`, EXIT.failure);
    }
  }
  const progress = createProgress('importing');
  let versions = 0;
  for (const [index, secret] of secrets.entries()) {
    const created = await session.call<{ id: string }>('POST', `${session.base}/secrets`, {
      name: secret.name,
      path: secret.path,
      type: secret.type,
      description: secret.description,
      tags: secret.tags,
      ...(projectId ? { project_id: projectId } : {}),
    });
    const id = created?.id ?? '';
    const byRevision = new Map(secret.versions.map((version) => [version.revision, version]));
    const standIn = secret.versions.find((version) => version.data !== null)?.data ?? null;
    const highest = Math.max(0, ...secret.versions.map((version) => version.revision));
    for (let revision = 1; revision <= highest && standIn !== null; revision += 1) {
      const version = byRevision.get(revision);
      const data = version?.data ?? standIn;
      await session.call('POST', `${session.base}/secrets/${id}/versions`, {
        data: data.toString('base64'),
        description: version?.description ?? 'placeholder for a revision whose payload was gone at export',
        disable_previous: false,
      });
      const step = finalStep(version);
      if (step === 'disable') {
        await session.call('POST', `${session.base}/secrets/${id}/versions/${revision}/disable`, {});
      } else if (step === 'delete') {
        await session.call('DELETE', `${session.base}/secrets/${id}/versions/${revision}`);
      }
      versions += 1;
    }
    if (secret.protected) {
      await session.call('POST', `${session.base}/secrets/${id}/protect`, {});
    }
    progress.update(index + 1, secrets.length);
  }
  progress.finish();
  return { secrets: secrets.length, versions };
};
