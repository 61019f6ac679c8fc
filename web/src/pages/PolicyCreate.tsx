import { useEffect, useState } from 'react';
import { get } from '../api';
import { CreateForm } from './PrincipalCreate';
import { IAM, type Application, type PermissionSet, type User } from './iam-types';

interface Project {
  id: string;
  name: string;
}

/** A policy with one rule: permission sets picked from the server's list, over a project or the organization. */
export const PolicyCreate = ({ organizationId, users, applications, onCreated }: { organizationId: string; users: User[]; applications: Application[]; onCreated: () => void }) => {
  const [sets, setSets] = useState<PermissionSet[]>([]);
  const [projects, setProjects] = useState<Project[]>([]);
  // Controlled: the projects arrive after the first render, and the first of them is the default scope.
  const [scope, setScope] = useState('');
  useEffect(() => {
    get<{ permission_sets: PermissionSet[] }>(`${IAM}/permission-sets`).then((result) => setSets(result.permission_sets), () => setSets([]));
    get<{ projects: Project[] }>('/account/v3/projects').then((result) => setProjects(result.projects), () => setProjects([]));
  }, []);
  return (
    <CreateForm
      title="Create policy"
      url={`${IAM}/policies`}
      onCreated={onCreated}
      body={(form) => {
        const principal = String(form.get('principal') ?? '');
        const [kind, id] = principal.split(':');
        return {
          name: String(form.get('name') ?? ''),
          description: String(form.get('description') ?? ''),
          ...(kind === 'user' ? { user_id: id } : kind === 'application' ? { application_id: id } : {}),
          rules: [
            {
              permission_set_names: form.getAll('permission_set').map(String),
              ...(scope === 'organization' ? { organization_id: organizationId } : { project_ids: [scope || (projects[0]?.id ?? '')] }),
              condition: String(form.get('condition') ?? '') || undefined,
            },
          ],
        };
      }}
    >
      <label>
        Name
        <input name="name" required />
      </label>
      <label>
        Description
        <input name="description" />
      </label>
      <label>
        Attach to
        <select name="principal" defaultValue="">
          <option value="">Nobody yet</option>
          {users.map((user) => (
            <option key={user.id} value={`user:${user.id}`}>
              user {user.email}
            </option>
          ))}
          {applications.map((app) => (
            <option key={app.id} value={`application:${app.id}`}>
              application {app.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Scope
        <select name="scope" value={scope || (projects[0]?.id ?? '')} onChange={(event) => setScope(event.target.value)}>
          {projects.map((project) => (
            <option key={project.id} value={project.id}>
              project {project.name}
            </option>
          ))}
          <option value="organization">the whole organization</option>
        </select>
      </label>
      <fieldset className="picker">
        <legend>Permission sets</legend>
        {sets.map((set) => (
          <label key={set.name} className="check">
            <input type="checkbox" name="permission_set" value={set.name} /> <strong>{set.name}</strong> <span className="muted">{set.description}</span>
          </label>
        ))}
      </fieldset>
      <label>
        Condition (optional, e.g. a path prefix rule)
        <input name="condition" placeholder='secret.path matches "/prod/*"' />
      </label>
    </CreateForm>
  );
};
