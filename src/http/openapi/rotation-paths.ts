import { bool, int, nullableStr, nullableTime, object, operation, pathParam, str, uuid, type PathItems, type Schema } from './builders.js';

const region = pathParam('region', 'a configured region, such as fr-par');
const secretId = pathParam('secret_id', 'the secret', uuid());

const generator: Schema = {
  ...object(
    {
      kind: str(undefined, { enum: ['password', 'random_bytes', 'api_key'] }),
      length: int('characters or bytes, default 32'),
      lower: bool(),
      upper: bool(),
      digits: bool(),
      symbols: bool(),
      encoding: str('random_bytes only', { enum: ['base64', 'base64url', 'hex'] }),
      prefix: str('api_key only'),
      key: str('for key_value secrets: the key the new value goes to'),
    },
    ['length', 'lower', 'upper', 'digits', 'symbols', 'encoding', 'prefix', 'key'],
  ),
  additionalProperties: false,
};

const webhook: Schema = {
  ...object({ url: str(undefined, { format: 'uri' }), max_attempts: int(), timeout_seconds: int() }, ['max_attempts', 'timeout_seconds']),
  additionalProperties: false,
};

const policyBody: Schema = {
  ...object(
    {
      interval: { type: ['string', 'integer'], description: 'a duration such as 24h or 30d, or seconds' },
      next_rotation_at: str('RFC 3339; default: now plus the interval', { format: 'date-time' }),
      disable_previous: bool('disable the version a rotation replaces'),
      renew_signing_secret: bool('a new webhook signing secret'),
      generator,
      webhook,
    },
    ['next_rotation_at', 'disable_previous', 'renew_signing_secret', 'generator', 'webhook'],
  ),
  description: 'exactly one of generator and webhook',
  additionalProperties: false,
};

const policyAnswer: Schema = {
  ...object({
    secret_id: uuid(),
    region: str(),
    policy: { type: ['object', 'null'], description: 'interval, next_rotation_at, disable_previous, method and its generator or webhook' },
    state: { type: ['object', 'null'], description: 'rotation in progress, attempts, last rotation, last failure' },
  }),
  additionalProperties: true,
};

/** A secret's rotation policy and rotate-now. */
export const rotationPaths: PathItems = {
  '/coffer/v1/regions/{region}/secrets/{secret_id}/rotation-policy': {
    get: operation({ id: 'getRotationPolicy', summary: 'A secret\'s rotation policy and state', tag: 'rotation', parameters: [region, secretId], ok: { status: 200, schema: policyAnswer }, errors: [404] }),
    put: operation({
      id: 'setRotationPolicy',
      summary: 'Set a secret\'s rotation policy',
      description: 'A webhook policy\'s signing secret is in this answer only (`signing_secret`), the first time and when renewed.',
      tag: 'rotation',
      parameters: [region, secretId],
      body: policyBody,
      ok: { status: 200, schema: { ...policyAnswer, properties: { ...(policyAnswer.properties as object), signing_secret: nullableStr() } } },
      errors: [404, 412],
    }),
    delete: operation({ id: 'clearRotationPolicy', summary: 'Remove a secret\'s rotation policy', tag: 'rotation', parameters: [region, secretId], ok: { status: 204, schema: null }, errors: [404] }),
  },
  '/coffer/v1/regions/{region}/secrets/{secret_id}/rotate': {
    post: operation({
      id: 'rotateSecret',
      summary: 'Rotate a secret now, with its policy\'s method or a given generator',
      tag: 'rotation',
      parameters: [region, secretId],
      body: { ...object({ generator }, ['generator']), additionalProperties: false },
      ok: {
        status: 200,
        schema: object({
          outcome: str(undefined, { enum: ['rotated', 'retrying', 'failed'] }),
          rotation_id: nullableStr(),
          attempts: int(),
          revision: { type: ['integer', 'null'] },
          rotated_by_receiver: { type: ['boolean', 'null'] },
          failure: { type: ['object', 'null'] },
          next_attempt_at: nullableTime(),
        }),
      },
      errors: [404, 412],
    }),
  },
};
