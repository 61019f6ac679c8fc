import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../shared/errors.js';
import { normalizePath, validateName, validateTags } from './secret-rules.js';

describe('secret naming rules', () => {
  it('normalizes paths the way Scaleway records them', () => {
    assert.equal(normalizePath(undefined), '/');
    assert.equal(normalizePath('/'), '/');
    assert.equal(normalizePath('/a/b/'), '/a/b');
    assert.equal(normalizePath('//a//b'), '/a/b');
  });

  it('refuses relative paths, traversal and foreign characters', () => {
    for (const bad of ['a/b', '/a/../b', '/a/./b', '/a b', '/ä']) {
      assert.throws(() => normalizePath(bad), AppError, bad);
    }
  });

  it('refuses names with a slash, a space, or nothing', () => {
    assert.equal(validateName('db_password-1.prod'), 'db_password-1.prod');
    assert.equal(validateName('user@host:5432=primary'), 'user@host:5432=primary', 'OVHcloud path characters');
    for (const bad of ['', 'a/b', 'a b', '..', 'a%2Fb', 'a#b', 'a?b']) {
      assert.throws(() => validateName(bad), AppError, bad);
    }
  });

  it('names the field the caller used', () => {
    assert.throws(
      () => validateName('a/b', 'secret_name'),
      (error: unknown) => error instanceof AppError && error.details.problems?.[0]?.field === 'secret_name',
    );
  });

  it('drops duplicate tags and refuses empty ones', () => {
    assert.deepEqual(validateTags(['a', 'b', 'a']), ['a', 'b']);
    assert.throws(() => validateTags(['']), AppError);
  });
});
