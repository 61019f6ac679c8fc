import type { FastifyReply } from 'fastify';
import { formatMicros } from '../../shared/clock.js';
import type { KvKeyMetadata, KvVersionInfo } from '../../core/kv/index.js';
import { writeAudited } from '../audit-gate.js';
import { sendJson } from '../json.js';
import { formatDurationSeconds } from '../go-duration.js';
import { sortKeys } from './kv-call.js';

export type MountType = 'kv' | 'system' | 'token' | '';

/** Vault's response envelope, in the order Vault writes its fields. */
const envelope = (reply: FastifyReply, data: unknown, warnings: string[], mountType: MountType) => ({
  request_id: reply.request.id,
  lease_id: '',
  renewable: false,
  lease_duration: 0,
  data,
  wrap_info: null,
  warnings: warnings.length > 0 ? warnings : null,
  auth: null,
  mount_type: mountType,
});

export const sendData = (reply: FastifyReply, data: unknown, warnings: string[] = [], mountType: MountType = 'kv') =>
  sendJson(reply, 200, envelope(reply, data, warnings, mountType));

/**
 * KV v2 answers some 404s with the whole envelope and no `errors` key (a deleted
 * version's metadata, invalid paths); clients such as `vault kv get` read it.
 */
export const sendRawStatus = (reply: FastifyReply, status: number, data: unknown, warnings: string[] = []) =>
  sendJson(reply, status, envelope(reply, data, warnings, ''));

/** Vault's "sys injector": sys answers carry their data both at the top level and under `data`. */
export const sendSysData = (reply: FastifyReply, data: Record<string, unknown>) =>
  sendJson(reply, 200, { ...data, ...envelope(reply, data, [], 'system') });

export const sendErrors = (reply: FastifyReply, status: number, errors: string[]) => sendJson(reply, status, { errors });

/** 204: Vault still labels the empty body as JSON. */
export const sendEmpty = (reply: FastifyReply, status = 204): FastifyReply => {
  reply.hijack();
  writeAudited(reply, status, { 'content-type': 'application/json', 'x-request-id': reply.request.id }, '');
  return reply;
};

/** RFC 3339 in UTC with trailing zeros of the fraction trimmed, as Go's RFC3339Nano prints; unset is "". */
export const vaultTime = (micros: number | null): string => {
  if (micros === null) {
    return '';
  }
  const text = formatMicros(micros);
  let end = text.length - 1;
  while (text[end - 1] === '0') {
    end -= 1;
  }
  return text[end - 1] === '.' ? `${text.slice(0, end - 1)}Z` : `${text.slice(0, end)}Z`;
};

export const versionMetadata = (version: KvVersionInfo, customMetadata: Record<string, string> | null) => ({
  created_time: vaultTime(version.createdAt),
  custom_metadata: sortKeys(customMetadata),
  deletion_time: vaultTime(version.deletionTime),
  destroyed: version.destroyed,
  version: version.version,
});

export const keyMetadata = (metadata: KvKeyMetadata) => ({
  cas_required: metadata.casRequired,
  created_time: vaultTime(metadata.createdAt),
  current_version: metadata.currentVersion,
  custom_metadata: sortKeys(metadata.customMetadata),
  delete_version_after: formatDurationSeconds(metadata.deleteVersionAfterSeconds),
  max_versions: metadata.maxVersions,
  oldest_version: metadata.oldestVersion,
  updated_time: vaultTime(metadata.updatedAt),
  versions: Object.fromEntries(
    metadata.versions.map((version) => [
      String(version.version),
      { created_time: vaultTime(version.createdAt), deletion_time: vaultTime(version.deletionTime), destroyed: version.destroyed },
    ]),
  ),
});
