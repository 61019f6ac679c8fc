import type { FastifyInstance } from 'fastify';
import { formatMicros } from '../../shared/clock.js';
import { actorOf } from '../auth.js';
import { sendJson } from '../json.js';
import { decodeBase64 } from '../scaleway/schemas.js';
import type { CofferServices } from '../services.js';
import { parseWith } from '../validation.js';
import { presentKey } from './presenters.js';
import { keyIdOf, regionOf } from './key-routes.js';
import { decryptSchema, encryptSchema, generateDataKeySchema, importKeyMaterialSchema } from './schemas.js';

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
// Empty associated data is none: some SDKs send "" for an unset bytes field.
const optionalBytes = (value: string | null | undefined, field: string): Buffer | null =>
  value === null || value === undefined || value === '' ? null : decodeBase64(value, field);

/** Encrypt, decrypt, data keys and imported material; bytes travel in standard base64, as on Scaleway. */
export const registerCryptoRoutes = (app: FastifyInstance, { kms }: CofferServices): void => {
  app.post('/regions/:region/keys/:key_id/encrypt', async (request, reply) => {
    const body = parseWith(encryptSchema, request.body);
    const { key, ciphertext } = await kms.encrypt(
      actorOf(request),
      regionOf(request),
      keyIdOf(request),
      decodeBase64(body.plaintext, 'plaintext'),
      optionalBytes(body.associated_data, 'associated_data'),
    );
    return sendJson(reply, 200, { key_id: key.id, ciphertext: b64(ciphertext) });
  });

  app.post('/regions/:region/keys/:key_id/decrypt', async (request, reply) => {
    const body = parseWith(decryptSchema, request.body);
    const { key, plaintext, reencrypted } = await kms.decrypt(
      actorOf(request),
      regionOf(request),
      keyIdOf(request),
      decodeBase64(body.ciphertext, 'ciphertext'),
      optionalBytes(body.associated_data, 'associated_data'),
    );
    return sendJson(reply, 200, { key_id: key.id, plaintext: b64(plaintext), ...(reencrypted ? { ciphertext: b64(reencrypted) } : {}) });
  });

  app.post('/regions/:region/keys/:key_id/generate-data-key', async (request, reply) => {
    const body = parseWith(generateDataKeySchema, request.body ?? {});
    const algorithm = !body.algorithm || body.algorithm === 'unknown_symmetric_encryption' ? null : body.algorithm;
    const dataKey = await kms.generateDataKey(actorOf(request), regionOf(request), keyIdOf(request), algorithm);
    return sendJson(reply, 200, {
      key_id: dataKey.key.id,
      algorithm: 'aes_256_gcm',
      ciphertext: b64(dataKey.ciphertext),
      ...(body.without_plaintext === true ? {} : { plaintext: b64(dataKey.plaintext) }),
      created_at: formatMicros(dataKey.createdAt),
    });
  });

  app.post('/regions/:region/keys/:key_id/import-key-material', async (request, reply) => {
    const body = parseWith(importKeyMaterialSchema, request.body);
    const key = await kms.importMaterial(
      actorOf(request),
      regionOf(request),
      keyIdOf(request),
      decodeBase64(body.key_material, 'key_material'),
      optionalBytes(body.salt, 'salt'),
    );
    return sendJson(reply, 200, presentKey(key));
  });

  // Only AES-256-GCM is served; Scaleway lists the asymmetric families too.
  app.get('/regions/:region/algorithms', async (request, reply) => {
    actorOf(request);
    return sendJson(reply, 200, { algorithms: [{ usage: 'symmetric_encryption', name: 'aes_256_gcm', recommended: true }] });
  });
};
