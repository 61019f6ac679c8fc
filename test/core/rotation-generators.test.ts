import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  assertGeneratorFits,
  generateApiKey,
  generatePassword,
  generateRandomBytes,
  PASSWORD_ALPHABETS,
  PASSWORD_CLASSES,
  payloadWithGenerated,
  type GeneratorSpec,
  type PasswordClass,
} from '../../src/core/rotation/index.js';
import { AppError } from '../../src/shared/errors.js';

/** Pearson's statistic of observed counts against a uniform expectation. */
const chiSquare = (counts: Map<string, number>, categories: number, total: number): number => {
  const expected = total / categories;
  let sum = (categories - counts.size) * expected;
  for (const count of counts.values()) {
    sum += (count - expected) ** 2 / expected;
  }
  return sum;
};

const tally = (texts: string[]): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const text of texts) {
    for (const character of text) {
      counts.set(character, (counts.get(character) ?? 0) + 1);
    }
  }
  return counts;
};

const invalid = (field: string) => (error: unknown) => error instanceof AppError && error.code === 'invalid_argument' && error.details.problems?.[0]?.field === field;

describe('rotation generators', () => {
  it('makes passwords of the asked length with at least one character of each enabled class and none of the others', () => {
    const combinations: PasswordClass[][] = [['lower'], ['digits'], ['lower', 'upper'], ['upper', 'digits', 'symbols'], [...PASSWORD_CLASSES]];
    for (const classes of combinations) {
      for (const length of [8, 13, 64]) {
        for (let round = 0; round < 200; round += 1) {
          const password = generatePassword(length, classes);
          assert.equal(password.length, length);
          for (const name of PASSWORD_CLASSES) {
            const present = [...password].some((character) => PASSWORD_ALPHABETS[name].includes(character));
            assert.equal(present, classes.includes(name), `${name} in ${classes.join('+')}`);
          }
        }
      }
    }
  });

  it('draws password characters uniformly (chi-square over 128 000 characters)', () => {
    const passwords = Array.from({ length: 2000 }, () => generatePassword(64, ['lower']));
    const counts = tally(passwords);
    assert.equal(counts.size, 26);
    // 25 degrees of freedom: 80 is far beyond the 1e-6 tail (about 70), a biased draw lands way above.
    assert.ok(chiSquare(counts, 26, 128_000) < 80, `chi-square ${chiSquare(counts, 26, 128_000)}`);
    const mixed = tally(Array.from({ length: 1000 }, () => generatePassword(32, ['lower', 'upper', 'digits'])));
    assert.equal(mixed.size, 62, 'every letter and digit turns up');
  });

  it('makes random bytes of the asked length in each encoding, every byte value about equally often', () => {
    assert.equal(Buffer.from(generateRandomBytes(32, 'base64'), 'base64').length, 32);
    assert.match(generateRandomBytes(24, 'base64url'), /^[A-Za-z0-9_-]{32}$/);
    assert.match(generateRandomBytes(16, 'hex'), /^[0-9a-f]{32}$/);
    assert.notEqual(generateRandomBytes(32, 'hex'), generateRandomBytes(32, 'hex'));
    const bytes = Array.from({ length: 400 }, () => Buffer.from(generateRandomBytes(256, 'hex'), 'hex'));
    const counts = new Map<string, number>();
    for (const chunk of bytes) {
      for (const byte of chunk) {
        counts.set(String(byte), (counts.get(String(byte)) ?? 0) + 1);
      }
    }
    // 255 degrees of freedom: the 1e-6 tail starts near 380.
    assert.ok(chiSquare(counts, 256, 102_400) < 400);
  });

  it('makes API keys as prefix plus base62', () => {
    const key = generateApiKey('ck_live_', 40);
    assert.match(key, /^ck_live_[0-9A-Za-z]{40}$/);
    assert.match(generateApiKey('', 16), /^[0-9A-Za-z]{16}$/);
  });
});

describe('where a generated value goes', () => {
  const password: GeneratorSpec = { kind: 'password', length: 20, classes: ['lower', 'digits'], key: null };
  const json = (data: Uint8Array) => JSON.parse(Buffer.from(data).toString('utf8')) as Record<string, unknown>;
  const current = (value: object) => Buffer.from(JSON.stringify(value));

  it('replaces the type’s secret field and keeps the other fields of the current version', () => {
    const basic = payloadWithGenerated('basic_credentials', password, current({ username: 'app', password: 'old' }), 'NEW');
    assert.ok(basic.ok);
    assert.deepEqual(json(basic.data), { username: 'app', password: 'NEW' });
    const database = payloadWithGenerated('database_credentials', password, current({ engine: 'postgres', username: 'u', password: 'p', host: 'db', dbname: 'x', port: '5432' }), 'NEW');
    assert.ok(database.ok);
    assert.deepEqual(json(database.data), { engine: 'postgres', username: 'u', password: 'NEW', host: 'db', dbname: 'x', port: '5432' });
    const apiKey = payloadWithGenerated('api_key', password, current({ header_name: 'X-API-Key', value: 'old' }), 'NEW');
    assert.ok(apiKey.ok);
    assert.deepEqual(json(apiKey.data), { header_name: 'X-API-Key', value: 'NEW' });
    const client = payloadWithGenerated('client_credentials', password, current({ client_id: 'id', client_secret: 'old', scopes: ['a'] }), 'NEW');
    assert.ok(client.ok);
    assert.deepEqual(json(client.data), { client_id: 'id', client_secret: 'NEW', scopes: ['a'] });
    const bearer = payloadWithGenerated('bearer_token', password, current({ header_value: 'Bearer old' }), 'NEW');
    assert.ok(bearer.ok);
    assert.deepEqual(json(bearer.data), { header_value: 'Bearer NEW' }, 'the scheme stays');
    const opaque = payloadWithGenerated('opaque', password, current({ anything: 1 }), 'NEW');
    assert.ok(opaque.ok);
    assert.equal(Buffer.from(opaque.data).toString(), 'NEW', 'an opaque secret is the value itself');
  });

  it('sets a named key of a key_value secret, adding it if missing', () => {
    const spec: GeneratorSpec = { ...password, key: 'token' };
    const set = payloadWithGenerated('key_value', spec, current({ user: 'u', token: 'old' }), 'NEW');
    assert.ok(set.ok);
    assert.deepEqual(json(set.data), { user: 'u', token: 'NEW' });
    const fresh = payloadWithGenerated('key_value', spec, null, 'NEW');
    assert.ok(fresh.ok);
    assert.deepEqual(json(fresh.data), { token: 'NEW' });
  });

  it('reports a typed secret without a current version instead of inventing its other fields', () => {
    const result = payloadWithGenerated('basic_credentials', password, null, 'NEW');
    assert.equal(result.ok, false);
  });

  it('refuses generators that make no sense for the type', () => {
    assert.throws(() => assertGeneratorFits('certificate', password), invalid('generator'));
    assert.throws(() => assertGeneratorFits('ssh_key', password), invalid('generator'));
    assert.throws(() => assertGeneratorFits('key_value', password), invalid('generator.key'));
    assert.throws(() => assertGeneratorFits('basic_credentials', { ...password, key: 'password' }), invalid('generator.key'));
    assert.doesNotThrow(() => assertGeneratorFits('database_credentials', password));
  });
});
