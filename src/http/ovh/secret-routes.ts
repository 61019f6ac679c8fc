import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../core/iam/index.js';
import type { KvScope } from '../../core/kv/index.js';
import { invalidField, notFound } from '../../shared/errors.js';
import { sendJson } from '../json.js';
import type { CofferServices } from '../services.js';
import { presentMetadata, presentVersion } from './presenters.js';
import { parseStateBody, parseUpdateBody, parseVersionBody, queryBoolean, queryInteger } from './schemas.js';

export interface OvhCall {
  services: CofferServices;
  actor: Actor;
  scope: KvScope;
  path: string;
  request: FastifyRequest;
  reply: FastifyReply;
}

const queryOf = (call: OvhCall) => call.request.query as Record<string, unknown>;

const existingMetadata = async (call: OvhCall) => {
  const metadata = await call.services.kv.getMetadata(call.actor, call.scope, call.path);
  if (!metadata) {
    throw notFound('secret', call.path);
  }
  return metadata;
};

/** A version with its data when asked (`includeData=true` needs the data right); a deactivated one comes without. */
const versionView = async (call: OvhCall, version: number, includeData: boolean) => {
  if (includeData) {
    const read = await call.services.kv.read(call.actor, call.scope, call.path, version);
    if (read.kind === 'ok') {
      return presentVersion(read.version, read.data);
    }
    if (read.kind === 'unreadable') {
      return presentVersion(read.version);
    }
  } else {
    const info = await call.services.kv.getVersionInfo(call.actor, call.scope, call.path, version);
    if (info) {
      return presentVersion(info);
    }
  }
  throw notFound('secret_version', String(version));
};

export const getSecret = async (call: OvhCall) => {
  const query = queryOf(call);
  const requested = queryInteger(query, 'version', 1);
  const includeData = queryBoolean(query, 'includeData');
  const metadata = await existingMetadata(call);
  const version = requested ?? metadata.currentVersion;
  const body = { path: call.path, metadata: presentMetadata(metadata), ...(version > 0 ? { version: await versionView(call, version, includeData) } : {}) };
  return sendJson(call.reply, 200, body);
};

/** New version iff `version.data` is given; metadata fields given replace the stored ones. */
export const updateSecret = async (call: OvhCall) => {
  const cas = queryInteger(queryOf(call), 'cas');
  const { data, metadata } = parseUpdateBody(call.request.body);
  await existingMetadata(call);
  if (Object.keys(metadata).length > 0) {
    await call.services.kv.writeMetadata(call.actor, call.scope, call.path, metadata);
  }
  if (data) {
    await call.services.kv.write(call.actor, call.scope, call.path, data, { cas });
  }
  return sendJson(call.reply, 200, { path: call.path, metadata: presentMetadata(await existingMetadata(call)) });
};

export const deleteSecret = async (call: OvhCall) => {
  await existingMetadata(call);
  await call.services.kv.deleteMetadata(call.actor, call.scope, call.path);
  call.reply.hijack();
  call.reply.raw.writeHead(204, { 'x-request-id': call.request.id });
  call.reply.raw.end();
  return call.reply;
};

export const listVersions = async (call: OvhCall) => {
  const metadata = await existingMetadata(call);
  return sendJson(call.reply, 200, metadata.versions.map((version) => presentVersion(version)));
};

export const createVersion = async (call: OvhCall) => {
  const cas = queryInteger(queryOf(call), 'cas');
  const data = parseVersionBody(call.request.body);
  await existingMetadata(call);
  const written = await call.services.kv.write(call.actor, call.scope, call.path, data, { cas });
  return sendJson(call.reply, 200, presentVersion(written.version));
};

export const getVersion = async (call: OvhCall, version: number) =>
  sendJson(call.reply, 200, await versionView(call, version, queryBoolean(queryOf(call), 'includeData')));

/** `active` undeletes, `deactivated` soft-deletes, `deleted` destroys for good. */
export const changeVersionState = async (call: OvhCall, version: number) => {
  const state = parseStateBody(call.request.body);
  const current = await call.services.kv.getVersionInfo(call.actor, call.scope, call.path, version);
  if (!current) {
    throw notFound('secret_version', String(version));
  }
  if (current.state === 'destroyed' && state !== 'deleted') {
    throw invalidField('state', 'constraint', `secret version ${version} is deleted and cannot change state`);
  }
  const { kv } = call.services;
  const change = state === 'active' ? kv.undeleteVersions : state === 'deactivated' ? kv.deleteVersions : kv.destroyVersions;
  await change(call.actor, call.scope, call.path, [version]);
  return getVersion(call, version);
};
