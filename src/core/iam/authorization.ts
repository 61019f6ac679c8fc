import { AppError } from '../../shared/errors.js';
import type { Action, Actor, Grant, Policy, ResourceRef } from './iam-model.js';
import { permissionSetNamed } from './permission-sets.js';
import { addressMatcher } from './rule-conditions.js';

/** A policy's rules as grants; permission sets this build does not know grant nothing. */
export const grantsOf = (policies: readonly Policy[]): Grant[] =>
  policies.flatMap((policy) =>
    policy.rules.map((rule) => ({
      actions: new Set(rule.permissionSetNames.flatMap((name) => permissionSetNamed(name)?.actions ?? [])),
      projectIds: rule.projectIds,
      pathPrefixes: rule.pathPrefixes ?? null,
      fromAddress: rule.ipRanges ? addressMatcher(rule.ipRanges) : null,
    })),
  );

/**
 * A path-limited grant covers a secret under one of its prefixes, and a listing (which
 * then shows only those secrets, see `pathPrefixesAllowing`), but no other request.
 */
const coversPath = (grant: Grant, action: Action, path: string | undefined): boolean =>
  grant.pathPrefixes === null ||
  (path === undefined ? action === 'secrets:secret:list' : grant.pathPrefixes.some((prefix) => path.startsWith(prefix)));

/** Grants the request's address may use: the others do not exist for it. */
const usableGrants = (actor: Actor): readonly Grant[] =>
  (actor.grants ?? []).filter((grant) => grant.fromAddress === null || grant.fromAddress(actor.sourceAddress));

const covers = (grant: Grant, action: Action, resource: ResourceRef): boolean =>
  grant.actions.has(action) &&
  (grant.projectIds === null || (resource.projectId !== undefined && grant.projectIds.includes(resource.projectId))) &&
  coversPath(grant, action, resource.path);

const refuse = (action: Action, resource: ResourceRef): AppError =>
  new AppError('permission_denied', 'insufficient permissions', { action, resource: resource.secretId ? 'secret' : 'project' });

/**
 * The decision behind `authorize`: the organization must be the caller's, then an admin
 * key may do anything and an application key what one of its grants covers. A grant
 * limited to projects never covers an organization-wide request.
 */
export const checkAuthorization = (actor: Actor, action: Action, resource: ResourceRef): void => {
  const note = actor.note;
  if (note) {
    note.action = action;
    // A later, broader check (the project) must not hide the secret an earlier one named.
    if (note.resource?.secretId === undefined || resource.secretId !== undefined) {
      note.resource = resource;
    }
  }
  if (resource.organizationId !== actor.organizationId) {
    throw refuse(action, resource);
  }
  if (actor.grants === null) {
    return;
  }
  if (!usableGrants(actor).some((grant) => covers(grant, action, resource))) {
    throw refuse(action, resource);
  }
};

/** The projects where `action` is allowed: null for all of the organization. */
export const projectsAllowing = (actor: Actor, action: Action): string[] | null => {
  if (actor.grants === null) {
    return null;
  }
  const relevant = usableGrants(actor).filter((grant) => grant.actions.has(action));
  if (relevant.some((grant) => grant.projectIds === null)) {
    return null;
  }
  return [...new Set(relevant.flatMap((grant) => grant.projectIds ?? []))];
};

/** The path prefixes `action` is limited to in a project (or anywhere): null when some grant has no limit. */
export const pathPrefixesAllowing = (actor: Actor, action: Action, projectId: string | null): string[] | null => {
  if (actor.grants === null) {
    return null;
  }
  const relevant = usableGrants(actor).filter(
    (grant) => grant.actions.has(action) && (grant.projectIds === null || projectId === null || grant.projectIds.includes(projectId)),
  );
  if (relevant.some((grant) => grant.pathPrefixes === null)) {
    return null;
  }
  return [...new Set(relevant.flatMap((grant) => grant.pathPrefixes ?? []))];
};

/** `/a/b` + `c` → `/a/b/c`; the root folder adds no segment. */
export const fullSecretPath = (path: string, name: string): string => `${path === '/' ? '' : path}/${name}`;

/** Records which version a read resolved to, for the request's audit event. */
export const noteRevision = (actor: Actor, revision: number): void => {
  if (actor.note) {
    actor.note.revision = revision;
  }
};
