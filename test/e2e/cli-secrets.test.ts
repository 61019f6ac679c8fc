import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { cleanEnv, coffer, writeConfig } from '../cli/helpers.js';
import { startServer, type TestServer } from '../helpers/server.js';

type Json = Record<string, unknown>;

/** `coffer secret` and `coffer version` against a real server, configured through a profile. */
describe('coffer secret and version', () => {
  let server: TestServer;
  let env: Record<string, string>;

  const run = (args: string[], input?: string) => coffer(args, env, input);
  const json = (args: string[], input?: string): Json => {
    const result = run([...args, '--output', 'json'], input);
    assert.equal(result.status, 0, result.stderr);
    return JSON.parse(result.stdout) as Json;
  };

  before(async () => {
    server = await startServer();
    const folder = mkdtempSync(join(tmpdir(), 'coffer-cli-key-'));
    writeFileSync(join(folder, 'key'), `${server.secretKey}\n`, { mode: 0o600 });
    const config = writeConfig({
      profiles: {
        local: { api_url: server.url, secret_key: `file:${join(folder, 'key')}`, project_id: server.projectId, region: 'fr-par' },
        broken: { api_url: server.url, secret_key: 'env:TEST_UNSET' },
      },
    });
    // SCW_* set for "another" Scaleway account: a profile named with COFFER_PROFILE wins over them.
    env = cleanEnv({ COFFER_CONFIG: config, COFFER_PROFILE: 'local', SCW_API_URL: 'http://127.0.0.1:9', SCW_SECRET_KEY: 'not-this-one' });
  });
  after(async () => server.stop());

  it('creates a secret, adds versions from stdin and a file, reads them back and lists them', () => {
    const created = json(['secret', 'create', '--name', 'db', '--path', '/prod/database', '--type', 'key_value', '--tag', 'team-a', '--description', 'primary']);
    const id = String(created.id);
    assert.equal(created.project_id, server.projectId);
    assert.deepEqual(created.tags, ['team-a']);

    assert.equal(json(['version', 'add', id], '{"password":"one"}').revision, 1);
    const file = join(mkdtempSync(join(tmpdir(), 'coffer-cli-')), 'v2.json');
    writeFileSync(file, '{"password":"two"}');
    assert.equal(json(['version', 'add', '/prod/database/db', '--file', file, '--disable-previous']).revision, 2);

    assert.equal(run(['version', 'access', id]).stdout, '{"password":"two"}');
    assert.equal(run(['version', 'access', '/prod/database/db', '2']).stdout, '{"password":"two"}');
    assert.equal(json(['version', 'access', id, '2']).revision, 2);
    const versions = json(['version', 'list', id]).versions as Json[];
    assert.deepEqual(versions.map((version) => [version.revision, version.status]), [[2, 'enabled'], [1, 'disabled']]);

    const table = run(['secret', 'list', '--path', '/prod/database']);
    assert.equal(table.status, 0, table.stderr);
    assert.match(table.stdout, /^ID\s+NAME\s+PATH\s+TYPE\s+VERSIONS\s+PROTECTED\s+DELETION$/m);
    assert.match(table.stdout, new RegExp(`^${id}\\s+db\\s+/prod/database\\s+key_value\\s+2\\s+false$`, 'm'));
    assert.ok(!table.stdout.includes('\u001b['), 'no colour outside a terminal');
    const yaml = parseYaml(run(['secret', 'list', '--tag', 'team-a', '-o', 'yaml']).stdout) as { secrets: Json[] };
    assert.deepEqual(yaml.secrets.map((secret) => secret.id), [id]);

    assert.match(run(['secret', 'get', id]).stdout, /^description\s+primary$/m);
    assert.equal(json(['secret', 'update', id, '--name', 'db-main', '--tag', 'team-b']).name, 'db-main');
    assert.deepEqual(json(['secret', 'get', '/prod/database/db-main']).tags, ['team-b']);
  });

  it('enables, disables and deletes versions; protects, deletes and restores secrets; browses folders', () => {
    const id = String(json(['secret', 'create', '--name', 'api', '--path', '/prod']).id);
    json(['version', 'add', id], 'v1');
    assert.equal(json(['version', 'disable', id, '1']).status, 'disabled');
    const disabled = run(['version', 'access', id, '1']);
    assert.equal(disabled.status, 8, 'a disabled version is unreadable: exit 8');
    assert.match(disabled.stderr, /412/);
    assert.equal(json(['version', 'enable', id, '1']).status, 'enabled');
    assert.equal(run(['version', 'delete', id, '1']).status, 0);
    assert.equal(json(['version', 'get', id, '1']).status, 'scheduled_for_deletion');

    assert.equal(json(['secret', 'protect', id]).protected, true);
    const refused = run(['secret', 'delete', id]);
    assert.notEqual(refused.status, 0);
    assert.equal(json(['secret', 'unprotect', id]).protected, false);
    assert.equal(run(['secret', 'delete', id]).status, 0);
    assert.ok(json(['secret', 'get', id]).deletion_requested_at);
    assert.equal(json(['secret', 'restore', id]).deletion_requested_at, null);

    const browsed = run(['secret', 'browse', '/']);
    assert.match(browsed.stdout, /^prod\s+folder/m);
    assert.match(run(['secret', 'browse', '/prod']).stdout, new RegExp(`^api\\s+secret\\s+${id}\\s+opaque$`, 'm'));
  });

  it('exit codes: not found 5, refused key 3, bad usage 2, profile problems 7', () => {
    assert.equal(run(['secret', 'get', '00000000-0000-4000-8000-000000000000']).status, 5);
    assert.equal(run(['secret', 'get', '/no/such']).status, 5);
    const noKey = coffer(['secret', 'list'], { ...env, COFFER_PROFILE: 'broken' });
    assert.equal(noKey.status, 7);
    assert.match(noKey.stderr, /TEST_UNSET is not set/);
    assert.equal(run(['secret', 'list', '--output', 'xml']).status, 2);
    assert.equal(run(['secret', 'create']).status, 2);
    assert.equal(run(['no-such-command']).status, 2);
    const unknown = coffer(['secret', 'list'], { ...env, COFFER_PROFILE: 'nope' });
    assert.equal(unknown.status, 7);
    assert.match(unknown.stderr, /unknown profile "nope" \(known: local, broken\)/);
    const refused = coffer(['secret', 'list', '--secret-key', '00000000-0000-4000-8000-000000000000'], env);
    assert.equal(refused.status, 3);
  });

  it('config show tells where the connection comes from, and --profile reaches coffer:// references', () => {
    const shown = json(['config', 'show']);
    assert.equal(shown.profile, 'local');
    assert.equal(shown.api_url, server.url, 'the named profile outranks SCW_API_URL');
    assert.match(String(shown.secret_key_from), /^profile local \(file source\)$/);
    assert.ok(!JSON.stringify(shown).includes(server.secretKey), 'the key itself is never shown');
    const withAccessKey = coffer(['config', 'show', '-o', 'json'], { ...env, SCW_ACCESS_KEY: 'SCWAAAAAAAAAAAAAAAAA' });
    assert.equal((JSON.parse(withAccessKey.stdout) as Json).access_key, 'SCWAAAAAAAAAAAAAAAAA');

    const id = String(json(['secret', 'create', '--name', 'token', '--path', '/ci']).id);
    json(['version', 'add', id], '{"value":"ci-token-1"}');
    const { COFFER_PROFILE: _unused, ...withoutProfile } = env;
    const viaFlag = coffer(['get', '--profile', 'local', 'coffer://ci/token#value'], withoutProfile);
    assert.equal(viaFlag.stdout, 'ci-token-1\n', viaFlag.stderr);
    const profiles = run(['config', 'profiles']).stdout;
    assert.match(profiles, /^local\s+profile\s+http:\/\/127\.0\.0\.1:\d+\s+false$/m);
  });

  it('bash completion completes nouns, verbs and flags', () => {
    const script = run(['completion', 'bash']).stdout;
    const complete = (words: string[]) => {
      const line = `${script}\nCOMP_WORDS=(${words.map((word) => `'${word}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _coffer; echo "\${COMPREPLY[*]}"`;
      return spawnSync('bash', ['-c', line], { encoding: 'utf8' }).stdout.trim();
    };
    assert.equal(complete(['coffer', 've']), 'version');
    assert.equal(complete(['coffer', 'version', 'a']), 'add access');
    assert.equal(complete(['coffer', 'secret', 'list', '--ta']), '--tag');
    assert.match(run(['completion', 'zsh']).stdout, /^#compdef coffer/);
    assert.equal(run(['completion', 'fish']).status, 2);
  });
});
