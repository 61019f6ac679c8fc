/** The wire shapes the console reads, as the APIs document them. */

export interface Session {
  label: string;
  access_key: string;
  role: 'admin' | 'application' | 'user';
  user_id: string | null;
  organization_id: string;
  default_project_id: string;
  allowed_actions: string[];
  csrf_token: string;
  expires_at: string;
  idle_timeout_seconds: number;
  regions: string[];
}

export const SECRET_TYPES = ['opaque', 'key_value', 'basic_credentials', 'database_credentials', 'ssh_key', 'api_key', 'bearer_token', 'client_credentials', 'certificate'] as const;
export type SecretType = (typeof SECRET_TYPES)[number];

export interface EphemeralPolicy {
  time_to_live: string | null;
  expires_once_accessed: boolean | null;
  action: 'delete' | 'disable';
}

export interface Secret {
  id: string;
  project_id: string;
  name: string;
  status: string;
  created_at: string;
  updated_at: string;
  tags: string[];
  version_count: number;
  description: string | null;
  protected: boolean;
  type: SecretType;
  path: string;
  ephemeral_policy: EphemeralPolicy | null;
  deletion_requested_at: string | null;
  key_id: string | null;
  region: string;
}

export interface Version {
  revision: number;
  secret_id: string;
  status: 'enabled' | 'disabled' | 'deleted' | 'scheduled_for_deletion';
  created_at: string;
  updated_at: string;
  description: string | null;
  latest: boolean;
  ephemeral_properties: { expires_at: string | null; expires_once_accessed: boolean | null; action: string } | null;
}

export interface BrowseItem {
  name: string;
  secret?: { id: string; type: SecretType; version_count: number };
  folder?: Record<string, never>;
}

export const REGIONS = ['fr-par', 'nl-ams', 'pl-waw'];

export const can = (session: Session, action: string): boolean => session.allowed_actions.includes(action);

export const formatDate = (value: string | null): string => (value === null ? '—' : new Date(value).toLocaleString());
