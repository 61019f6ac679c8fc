import { isPlainObject, type KvData } from '../../core/kv/index.js';
import { sendErrors, sendData, sendEmpty, sendRawStatus, versionMetadata } from './envelope.js';
import { unknownFieldsWarning, VaultRequestError, weakInt, weakIntList, type RequestData } from './fields.js';
import { requireMergePatch, sortKeys, type KvCall } from './kv-call.js';
import { subkeysOf } from './subkeys.js';

const DATA_FIELDS = ['data', 'options', 'version'];
const SUBKEYS_FIELDS = ['version', 'depth'];

const optionalVersion = (data: RequestData): number | null => {
  const version = data.version === undefined ? 0 : weakInt('version', data.version);
  return version > 0 ? version : null;
};

/** `data` must be an object; absent (or null) is Vault's "no data provided". */
const secretData = (data: RequestData): KvData => {
  if (data.data === undefined || data.data === null) {
    throw new VaultRequestError('no data provided');
  }
  if (!isPlainObject(data.data)) {
    throw new VaultRequestError(`Field validation failed: error converting input for field "data": '' expected a map, got '${Array.isArray(data.data) ? 'slice' : typeof data.data}'`);
  }
  return data.data;
};

/** `options.cas`, when the key is present, as an int; anything else is Vault's parse error. */
const casOption = (data: RequestData): number | null => {
  const { options } = data;
  if (options === undefined || options === null) {
    return null;
  }
  if (!isPlainObject(options)) {
    throw new VaultRequestError(`Field validation failed: error converting input for field "options": '' expected a map, got '${typeof options}'`);
  }
  if (!('cas' in options)) {
    return null;
  }
  try {
    return weakInt('cas', options.cas);
  } catch {
    throw new VaultRequestError('error parsing check-and-set parameter');
  }
};

/**
 * Reads a version and answers as Vault does: a bare 404 when absent, a 404 with the
 * version's metadata when deleted or destroyed, else the data shaped under `field`.
 */
const answerRead = async (
  call: KvCall,
  version: number | null,
  field: 'data' | 'subkeys',
  shape: (data: KvData) => unknown,
  knownFields: readonly string[],
) => {
  const result = await call.services.kv.read(call.actor, call.scope, call.path, version);
  if (result.kind === 'absent') {
    return sendErrors(call.reply, 404, []);
  }
  const metadata = versionMetadata(result.version, result.customMetadata);
  if (result.kind === 'unreadable') {
    return sendRawStatus(call.reply, 404, { [field]: null, metadata });
  }
  return sendData(call.reply, { [field]: sortKeys(shape(result.data)), metadata }, unknownFieldsWarning(call.data, knownFields));
};

export const readData = (call: KvCall) => answerRead(call, optionalVersion(call.data), 'data', (data) => data, DATA_FIELDS);

export const writeData = async (call: KvCall) => {
  const data = secretData(call.data);
  const cas = casOption(call.data);
  const written = await call.services.kv.write(call.actor, call.scope, call.path, data, { cas });
  return sendData(call.reply, versionMetadata(written.version, written.customMetadata), unknownFieldsWarning(call.data, DATA_FIELDS));
};

export const patchData = async (call: KvCall) => {
  requireMergePatch(call);
  const patch = secretData(call.data);
  const cas = casOption(call.data);
  const result = await call.services.kv.patch(call.actor, call.scope, call.path, patch, { cas });
  if (result.kind === 'absent') {
    return sendEmpty(call.reply, 404);
  }
  const metadata = versionMetadata(result.version, result.customMetadata);
  if (result.kind === 'unreadable') {
    return sendRawStatus(call.reply, 404, metadata);
  }
  return sendData(call.reply, metadata, unknownFieldsWarning(call.data, DATA_FIELDS));
};

export const deleteLatest = async (call: KvCall) => {
  await call.services.kv.deleteLatest(call.actor, call.scope, call.path);
  return sendEmpty(call.reply);
};

/** Vault checks the list before looking the key up, and words the two errors differently. */
const versionsOf = (call: KvCall, emptyMessage: string): number[] => {
  const versions = call.data.versions === undefined ? [] : weakIntList('versions', call.data.versions);
  if (versions.length === 0) {
    throw new VaultRequestError(emptyMessage);
  }
  return versions;
};

export const deleteVersions = async (call: KvCall) => {
  await call.services.kv.deleteVersions(call.actor, call.scope, call.path, versionsOf(call, 'No version number provided'));
  return sendEmpty(call.reply);
};

export const undeleteVersions = async (call: KvCall) => {
  await call.services.kv.undeleteVersions(call.actor, call.scope, call.path, versionsOf(call, 'No version number provided'));
  return sendEmpty(call.reply);
};

export const destroyVersions = async (call: KvCall) => {
  await call.services.kv.destroyVersions(call.actor, call.scope, call.path, versionsOf(call, 'no version number provided'));
  return sendEmpty(call.reply);
};

export const readSubkeys = (call: KvCall) => {
  // Fields are checked before anything is looked up, as Vault does.
  const version = optionalVersion(call.data);
  const depth = call.data.depth === undefined ? 0 : Math.max(0, weakInt('depth', call.data.depth));
  return answerRead(call, version, 'subkeys', (data) => subkeysOf(data, depth), SUBKEYS_FIELDS);
};
