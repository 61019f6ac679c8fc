import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  formatReference,
  parseReference,
  referenceFromHandle,
  ReferenceSyntaxError,
  SCHEMES,
  type SecretReference,
} from '../../src/cli/references/index.js';

const UUID = 'c492b67c-f3a0-45b8-9ae5-87b640354fe5';

/** input → expected parse (params default to {}) → canonical text */
const VALID: [string, Partial<SecretReference>, string][] = [
  [`scw://${UUID}#access_key`, { scheme: 'scw', segments: [UUID], selector: { kind: 'key', key: 'access_key' } }, `scw://${UUID}#access_key`],
  ['scw://staging/aws/s3/bucket1@latest_enabled#secret_key', { segments: ['staging', 'aws', 's3', 'bucket1'], version: 'latest_enabled' }, 'scw://staging/aws/s3/bucket1@latest_enabled#secret_key'],
  ['scw://db@3?region=nl-ams&project=p1', { segments: ['db'], version: '3', params: { region: 'nl-ams', project: 'p1' } }, 'scw://db@3?project=p1&region=nl-ams'],
  ['scw://db?version=latest', { version: 'latest' }, 'scw://db@latest'],
  ['coffer://prod/database/password', { scheme: 'coffer', segments: ['prod', 'database', 'password'] }, 'coffer://prod/database/password'],
  ['coffer://app?instance=staging&by=path', { instance: 'staging', params: { by: 'path' } }, 'coffer://app?by=path&instance=staging'],
  ['vault://secret/production/aws#access_key', { scheme: 'vault', segments: ['secret', 'production', 'aws'] }, 'vault://secret/production/aws#access_key'],
  ['vault://secret/app#password?version=3', { version: '3', selector: { kind: 'key', key: 'password' } }, 'vault://secret/app@3#password'],
  ['vault://secret/app#pass%3Fword', { selector: { kind: 'key', key: 'pass?word' } }, 'vault://secret/app#pass%3Fword'],
  ['vault://secret/app?version=3#password', { version: '3', selector: { kind: 'key', key: 'password' } }, 'vault://secret/app@3#password'],
  ['vault://kv/team-a/app@3#/db/password', { version: '3', selector: { kind: 'pointer', tokens: ['db', 'password'] } }, 'vault://kv/team-a/app@3#/db/password'],
  ['vault://app?mount=kv/team', { params: { mount: 'kv/team' } }, 'vault://app?mount=kv/team'],
  ['aws://myteam/api@AWSPREVIOUS#token', { scheme: 'aws', segments: ['myteam', 'api'], version: 'AWSPREVIOUS' }, 'aws://myteam/api@AWSPREVIOUS#token'],
  [
    'aws://arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf#/password',
    { segments: ['arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf'], selector: { kind: 'pointer', tokens: ['password'] } },
    'aws://arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf#/password',
  ],
  ['aws://app?version_stage=blue&region=eu-west-3', { params: { version_stage: 'blue', region: 'eu-west-3' } }, 'aws://app?region=eu-west-3&version_stage=blue'],
  ['ovh://prod/database/MySQL@4#/address/ip', { scheme: 'ovh', version: '4' }, 'ovh://prod/database/MySQL@4#/address/ip'],
  ['ref+vault://secret/app#/k', { scheme: 'vault', selector: { kind: 'pointer', tokens: ['k'] } }, 'vault://secret/app#/k'],
  ['secretref+vault://secret/app#/k+', { segments: ['secret', 'app'], selector: { kind: 'pointer', tokens: ['k'] } }, 'vault://secret/app#/k'],
  ['ref+awssecrets://prod/db#/password', { scheme: 'aws', segments: ['prod', 'db'] }, 'aws://prod/db#/password'],
  ['VAULT://secret/x', { scheme: 'vault' }, 'vault://secret/x'],
  // percent-encoding: "/" inside a segment, "@" in a name, "#" in a key, non-ASCII, pointer escapes
  ['coffer://weird/name%40v2@7#%23hash', { segments: ['weird', 'name@v2'], version: '7', selector: { kind: 'key', key: '#hash' } }, 'coffer://weird/name%40v2@7#%23hash'],
  ['scw://by%2Fslash?by=path#k', { segments: ['by/slash'] }, 'scw://by%2Fslash?by=path#k'],
  ['vault://secret/caf%C3%A9#m%C3%BCnchen', { segments: ['secret', 'café'], selector: { kind: 'key', key: 'münchen' } }, 'vault://secret/caf%C3%A9#m%C3%BCnchen'],
  ['vault://secret/café#k', { segments: ['secret', 'café'] }, 'vault://secret/caf%C3%A9#k'],
  ['vault://secret/cfg#a~1b', { selector: { kind: 'key', key: 'a~1b' } }, 'vault://secret/cfg#a~1b'],
  ['vault://secret/cfg#/a~1b/c~0d', { selector: { kind: 'pointer', tokens: ['a/b', 'c~d'] } }, 'vault://secret/cfg#/a~1b/c~0d'],
  ['vault://secret/cfg#/a%2Fb', { selector: { kind: 'pointer', tokens: ['a', 'b'] } }, 'vault://secret/cfg#/a/b'],
  ['vault://secret/cfg#/', { selector: { kind: 'pointer', tokens: [''] } }, 'vault://secret/cfg#/'],
  ['vault://secret/a%20b#k%20l', { segments: ['secret', 'a b'], selector: { kind: 'key', key: 'k l' } }, 'vault://secret/a%20b#k%20l'],
  ["scw://x!$&'()*+,;=:y", { segments: ["x!$&'()*+,;=:y"] }, "scw://x!$&'()*+,;=:y"],
];

/** input → column of the fault → words of the reason */
const INVALID: [string, number, RegExp][] = [
  ['secret/app#password', 1, /expected "<scheme>:\/\/"/],
  ['gcp://x', 1, /unknown scheme "gcp"/],
  ['ref+gcp://x', 5, /unknown scheme/],
  ['vault://', 9, /locator .* is empty/],
  ['vault://secret//app', 16, /empty path segment/],
  ['vault://secret/app/', 20, /empty path segment/],
  ['vault:///secret/app', 9, /empty path segment/],
  ['vault://secret/../app', 16, /"\.\." is not allowed/],
  ['vault://secret/%2e', 16, /"\." is not allowed/],
  ['vault://secret/app@', 20, /empty version/],
  ['vault://secret/app@latest', 20, /version "latest" is not a version number/],
  ['ovh://a/b@0', 11, /not a version number/],
  ['scw://db@newest', 10, /revision number, latest or latest_enabled/],
  ['vault://secret/a%2', 17, /two hexadecimal digits/],
  ['vault://secret/a%zz', 17, /two hexadecimal digits/],
  ['vault://secret/a b', 17, /must be percent-encoded/],
  ['vault://secret/a{b}', 17, /must be percent-encoded/],
  ['vault://secret/app?region=x', 20, /unknown parameter "region" for vault:\/\//],
  ['vault://secret/app?version', 20, /expected "name=value"/],
  ['vault://secret/app?version=', 28, /empty value/],
  ['vault://secret/app?mount=a&mount=b', 28, /given twice/],
  ['vault://secret/app?mount=a#k?version=2', 29, /give the query once/],
  ['vault://secret/app#k?region=x', 22, /unknown parameter "region"/],
  ['vault://secret/app@2?version=2', 30, /both as "@" and as \?version=/],
  ['aws://app@AWSCURRENT?version_id=abc', 11, /give the version once/],
  ['scw://db?by=name', 13, /"by" is "id" or "path"/],
  ['scw://db?instance=a%2Fb', 19, /instance name/],
  ['vault://secret/app#', 20, /empty selector/],
  ['vault://secret/app#/a~2', 20, /~0 .* or ~1/],
  ['vault://secret/%C3%28', 16, /not valid UTF-8/],
];

describe('secret reference parser', () => {
  for (const [input, expected, canonical] of VALID) {
    it(`parses ${input}`, () => {
      const parsed = parseReference(input);
      for (const [key, value] of Object.entries(expected)) {
        assert.deepEqual(parsed[key as keyof SecretReference], value, `${key} of ${input}`);
      }
      assert.equal(formatReference(parsed), canonical);
      // the canonical text is a fixed point and parses to the same reference
      assert.deepEqual(parseReference(canonical), parsed);
      assert.equal(formatReference(parseReference(canonical)), canonical);
    });
  }

  for (const [input, column, reason] of INVALID) {
    it(`refuses ${input} at column ${column}`, () => {
      assert.throws(
        () => parseReference(input),
        (error: unknown) => {
          assert.ok(error instanceof ReferenceSyntaxError, String(error));
          assert.match(error.reason, reason);
          assert.equal(error.column, column, `${error.message}`);
          assert.ok(error.message.includes(input), 'the message names the reference');
          assert.match(error.pointer(), new RegExp(`\\n {${column + 1}}\\^$`));
          return true;
        },
      );
    });
  }

  it('formats without the selector for the document cache key', () => {
    assert.equal(formatReference(parseReference('vault://secret/app@2#user'), { withSelector: false }), 'vault://secret/app@2');
  });

  it('writes a literal key that starts with "/" as a one-token pointer', () => {
    const text = formatReference({ scheme: 'vault', segments: ['s', 'x'], params: {}, selector: { kind: 'key', key: '/a' } });
    assert.equal(text, 'vault://s/x#/~1a');
    assert.deepEqual(parseReference(text).selector, { kind: 'pointer', tokens: ['/a'] });
  });

  it('round-trips any segments, version, parameters and selector through the canonical text', () => {
    const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 });
    const segment = text.filter((value) => value !== '.' && value !== '..');
    const reference = fc.record({
      scheme: fc.constantFrom(...SCHEMES),
      segments: fc.array(segment, { minLength: 1, maxLength: 4 }),
      instance: fc.option(fc.stringMatching(/^[A-Za-z0-9_.-]{1,8}$/), { nil: undefined }),
      selector: fc.option(
        fc.oneof(
          text.filter((key) => !key.startsWith('/')).map((key) => ({ kind: 'key' as const, key })),
          fc.array(fc.string({ maxLength: 6 }), { minLength: 1, maxLength: 3 }).map((tokens) => ({ kind: 'pointer' as const, tokens })),
        ),
        { nil: undefined },
      ),
      version: fc.option(fc.integer({ min: 1, max: 9999 }).map(String), { nil: undefined }),
    });
    fc.assert(
      fc.property(reference, (generated) => {
        const value: SecretReference = { ...generated, params: {} };
        const canonical = formatReference(value);
        assert.deepEqual(parseReference(canonical), value);
        assert.equal(formatReference(parseReference(canonical)), canonical);
      }),
      { numRuns: 300 },
    );
  });
});

describe('Plakar bare handles', () => {
  it('reads the three provider forms with a chosen instance', () => {
    assert.equal(formatReference(referenceFromHandle('secret/production/aws#access_key', 'vault', 'corp')), 'vault://secret/production/aws?instance=corp#access_key');
    assert.equal(formatReference(referenceFromHandle('staging/aws/s3/bucket1#access_key', 'aws', 'eu')), 'aws://staging/aws/s3/bucket1?instance=eu#access_key');
    assert.equal(formatReference(referenceFromHandle(`${UUID}#access_key`, 'scw', 'par')), `scw://${UUID}?instance=par#access_key`);
  });

  it('takes a handle literally: "@" and "%" belong to the name, the field is one key', () => {
    const reference = referenceFromHandle('team/me@corp%41#a/b', 'aws', 'eu');
    assert.deepEqual(reference.segments, ['team', 'me@corp%41']);
    assert.equal(reference.version, undefined);
    assert.deepEqual(reference.selector, { kind: 'key', key: 'a/b' });
  });

  it('refuses empty segments and empty fields with a column', () => {
    assert.throws(() => referenceFromHandle('secret//x#k', 'vault', 'v'), (error: unknown) => error instanceof ReferenceSyntaxError && error.column === 8);
    assert.throws(() => referenceFromHandle('secret/x#', 'vault', 'v'), /empty field/);
  });
});
