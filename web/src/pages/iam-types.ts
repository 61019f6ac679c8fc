export interface User {
  id: string;
  email: string;
  type: string;
  created_at: string;
  last_login_at: string | null;
}
export interface Application {
  id: string;
  name: string;
  description: string;
  created_at: string;
  nb_api_keys: number;
}
export interface Policy {
  id: string;
  name: string;
  description: string;
  nb_rules: number;
  user_id?: string;
  application_id?: string;
  group_id?: string;
}
export interface PermissionSet {
  name: string;
  description: string;
  scope_type: string;
}
export interface ApiKey {
  access_key: string;
  secret_key?: string;
  description: string;
  user_id?: string;
  application_id?: string;
  created_at: string;
  expires_at: string | null;
  default_project_id: string;
}
export const IAM = '/iam/v1alpha1';
