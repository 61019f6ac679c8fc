import { invalidField } from '../../shared/errors.js';
import type { Actor, Project } from '../iam/index.js';
import type { StoredEvent } from './event-model.js';
import type { EventStore } from './event-store.js';
import { EVENT_TYPES, type EventType } from './event-types.js';

export interface EventFeedDeps {
  store: Pick<EventStore, 'listEvents'>;
  iam: {
    authorize(actor: Actor, action: 'secrets:event:list', resource: { organizationId: string; projectId?: string; region?: string }): void;
    resolveProject(actor: Actor, projectId: string | null | undefined): Promise<Project>;
    projectsAllowing(actor: Actor, action: 'secrets:event:list'): string[] | null;
  };
  regions: readonly string[];
}

export interface FeedQuery {
  since: number;
  pageSize: number;
  projectId?: string | null;
  pathPrefix?: string | null;
  types?: readonly string[];
}

export const MAX_FEED_PAGE = 500;

/** Refuses unknown event types by name, so a typo is a 400 rather than an empty feed. */
export const parseEventTypes = (types: readonly string[], field: string): EventType[] => {
  for (const type of types) {
    if (!(EVENT_TYPES as readonly string[]).includes(type)) {
      throw invalidField(field, 'constraint', `unknown event type "${type.slice(0, 64)}"; known: ${EVENT_TYPES.join(', ')}`);
    }
  }
  return [...new Set(types)] as EventType[];
};

export const validatePathPrefix = (prefix: string | null | undefined, field: string): string | null => {
  if (prefix === null || prefix === undefined || prefix === '') {
    return null;
  }
  if (!prefix.startsWith('/') || prefix.length > 1024) {
    throw invalidField(field, 'format', `${field} must start with "/" and hold at most 1024 characters`);
  }
  return prefix;
};

/** The pull change feed: events after a cursor, in order, for tools that back up or sync. */
export const createEventFeed = ({ store, iam, regions }: EventFeedDeps) => ({
  async list(actor: Actor, region: string, query: FeedQuery): Promise<{ events: StoredEvent[]; nextCursor: number }> {
    if (!regions.includes(region)) {
      throw invalidField('region', 'constraint', `unknown region "${region.slice(0, 32)}"; this server serves ${regions.join(', ')}`);
    }
    if (!Number.isSafeInteger(query.since) || query.since < 0) {
      throw invalidField('since', 'format', 'since must be a cursor returned by this feed (a non-negative integer)');
    }
    if (!Number.isInteger(query.pageSize) || query.pageSize < 1 || query.pageSize > MAX_FEED_PAGE) {
      throw invalidField('page_size', 'constraint', `page_size must be between 1 and ${MAX_FEED_PAGE}`);
    }
    const types = parseEventTypes(query.types ?? [], 'type');
    const pathPrefix = validatePathPrefix(query.pathPrefix, 'path_prefix');
    let projectIds: string[] | null;
    if (query.projectId) {
      const project = await iam.resolveProject(actor, query.projectId);
      iam.authorize(actor, 'secrets:event:list', { organizationId: project.organizationId, projectId: project.id, region });
      projectIds = [project.id];
    } else {
      // Without a project, a caller whose rights stop at some projects reads just those.
      projectIds = iam.projectsAllowing(actor, 'secrets:event:list');
      // Org-wide rights pass here; no rights at all are refused here (rather than an empty feed).
      if (projectIds === null || projectIds.length === 0) {
        iam.authorize(actor, 'secrets:event:list', { organizationId: actor.organizationId, region });
      }
    }
    const events = await store.listEvents({
      organizationId: actor.organizationId,
      after: query.since,
      region,
      projectIds,
      pathPrefix,
      types,
      limit: query.pageSize,
    });
    return { events, nextCursor: events.at(-1)?.sequence ?? query.since };
  },
});

export type EventFeed = ReturnType<typeof createEventFeed>;
