import type { Clock } from '../../shared/clock.js';
import { notFound } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { checkAuthorization } from './authorization.js';
import type { Actor, Project } from './iam-model.js';
import type { IamStore } from './iam-store.js';
import { MAX_DESCRIPTION, MAX_NAME, validateText } from './iam-lookups.js';

export interface ProjectInput {
  name: string;
  description: string;
}

/** Projects of the caller's organization, as Scaleway's Account API manages them. */
export const createProjectAdmin = ({ store, clock }: { store: IamStore; clock: Clock }) => {
  const allow = (actor: Actor, action: 'projects:project:create' | 'projects:project:update' | 'projects:project:delete') =>
    checkAuthorization(actor, action, { organizationId: actor.organizationId });

  /** The organization's projects the caller has any right in; all of them for an admin. */
  const visibleProjects = async (actor: Actor): Promise<Project[]> => {
    const projects = await store.listProjects(actor.organizationId);
    if (actor.grants === null || actor.grants.some((grant) => grant.projectIds === null)) {
      return projects;
    }
    const visible = new Set(actor.grants.flatMap((grant) => grant.projectIds ?? []));
    return projects.filter((project) => visible.has(project.id));
  };

  const visibleProject = async (actor: Actor, id: string): Promise<Project> => {
    const project = (await visibleProjects(actor)).find((candidate) => candidate.id === id);
    if (!project) {
      throw notFound('project', id);
    }
    return project;
  };

  return {
    async createProject(actor: Actor, input: ProjectInput): Promise<Project> {
      allow(actor, 'projects:project:create');
      const now = clock.nowMicros();
      const project: Project = {
        id: newId(),
        organizationId: actor.organizationId,
        name: validateText('name', input.name, MAX_NAME, true),
        description: validateText('description', input.description, MAX_DESCRIPTION, false),
        createdAt: now,
        updatedAt: now,
      };
      await store.insertProject(project);
      return project;
    },
    listProjects: visibleProjects,
    getProject: visibleProject,
    async updateProject(actor: Actor, id: string, changes: Partial<ProjectInput>): Promise<Project> {
      allow(actor, 'projects:project:update');
      const project = await visibleProject(actor, id);
      const updated: Project = {
        ...project,
        name: changes.name === undefined ? project.name : validateText('name', changes.name, MAX_NAME, true),
        description: changes.description === undefined ? project.description : validateText('description', changes.description, MAX_DESCRIPTION, false),
        updatedAt: clock.nowMicros(),
      };
      await store.updateProject(updated);
      return updated;
    },
    /** Only an empty project that no API key defaults to can go (the store checks both). */
    async deleteProject(actor: Actor, id: string): Promise<void> {
      allow(actor, 'projects:project:delete');
      await visibleProject(actor, id);
      await store.deleteProject(id);
    },
  };
};
