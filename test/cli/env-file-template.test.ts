import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CliError } from '../../src/cli/errors.js';
import { parseTemplate } from '../../src/cli/inject/template.js';
import { parseEnvFile } from '../../src/cli/run/env-file.js';

describe('env files', () => {
  it('reads plain, exported, quoted and commented lines', () => {
    const text = [
      '# a comment',
      '',
      'PLAIN=vault://secret/app#password',
      'export EXPORTED = value # trailing comment',
      "SINGLE='a \\n b # not a comment'",
      'DOUBLE="line1\\nline2 \\"q\\" \\\\"',
      'HASH=abc#def',
      'EMPTY=',
    ].join('\n');
    assert.deepEqual(parseEnvFile(text, '.env'), {
      PLAIN: 'vault://secret/app#password',
      EXPORTED: 'value',
      SINGLE: 'a \\n b # not a comment',
      DOUBLE: 'line1\nline2 "q" \\',
      HASH: 'abc#def',
      EMPTY: '',
    });
  });

  it('names the file and line of a bad line, never its value', () => {
    assert.throws(() => parseEnvFile('OK=1\nnot a variable s3cret\n', 'prod.env'), (error: unknown) => {
      assert.ok(error instanceof CliError);
      assert.equal(error.message, 'prod.env:2: expected KEY=value');
      return true;
    });
    assert.throws(() => parseEnvFile('A="s3cret', 'x.env'), /x\.env:1: unterminated " quote/);
  });
});

describe('templates', () => {
  it('splits text, references with their line and column, and string literals', () => {
    assert.deepEqual(parseTemplate('a {{ vault://s/x#k }}\nb{{coffer://p/n}} {{ "{{ raw }}" }}', 't'), [
      { kind: 'text', text: 'a ' },
      { kind: 'reference', reference: 'vault://s/x#k', line: 1, column: 3 },
      { kind: 'text', text: '\nb' },
      { kind: 'reference', reference: 'coffer://p/n', line: 2, column: 2 },
      { kind: 'text', text: ' ' },
      { kind: 'text', text: '{{ raw }}' },
      { kind: 'text', text: '' },
    ]);
  });

  it('refuses empty and unclosed placeholders and bad literals, with their position', () => {
    assert.throws(() => parseTemplate('x\n  {{ }}', 't'), /t:2:3: empty placeholder/);
    assert.throws(() => parseTemplate('{{ vault://a/b', 't'), /t:1:1: "\{\{" is not closed/);
    assert.throws(() => parseTemplate('{{ "\\q" }}', 't'), /t:1:1: the string literal has an invalid escape/);
  });
});
