import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findMount, mountTable } from './mounts.js';

const PROJECT = '6f2b1e0a-1c1d-4c55-9a43-3f0c2d3b4a5e';

test('secret is always mounted in the default project and region; configured mounts add to it', () => {
  const table = mountTable([{ path: 'team', projectId: PROJECT, region: null }, { path: 'team/ams', projectId: null, region: 'nl-ams' }], 'fr-par');
  assert.deepEqual(table, [
    { mount: 'secret', scope: { projectId: null, region: 'fr-par' } },
    { mount: 'team', scope: { projectId: PROJECT, region: 'fr-par' } },
    { mount: 'team/ams', scope: { projectId: null, region: 'nl-ams' } },
  ]);
  assert.deepEqual(mountTable([{ path: 'secret', projectId: PROJECT, region: 'pl-waw' }], 'fr-par'), [
    { mount: 'secret', scope: { projectId: PROJECT, region: 'pl-waw' } },
  ]);
});

test('the longest mount that is a whole-segment prefix of the path wins', () => {
  const table = mountTable([{ path: 'team', projectId: PROJECT, region: null }, { path: 'team/ams', projectId: null, region: 'nl-ams' }], 'fr-par');
  assert.equal(findMount(table, 'team/ams/data/app')?.mounted.mount, 'team/ams');
  assert.equal(findMount(table, 'team/ams/data/app')?.rest, 'data/app');
  assert.equal(findMount(table, 'team/amsterdam/data/app')?.mounted.mount, 'team');
  assert.equal(findMount(table, 'team/amsterdam/data/app')?.rest, 'amsterdam/data/app');
  assert.equal(findMount(table, 'secret/data/a/b')?.rest, 'data/a/b');
  assert.equal(findMount(table, 'secret')?.rest, '');
  assert.equal(findMount(table, 'teams/data/app'), null);
  assert.equal(findMount(table, 'secretx/data/app'), null);
  assert.equal(findMount(table, ''), null);
});
