import type { KvDomain, KvSettings } from './kv-model.js';

/**
 * Persistence of KV domains and their settings, one row per (project, region). Settings
 * exist without activation (a Vault mount config write creates the row).
 */
export interface KvStore {
  findDomain(id: string): Promise<(KvDomain & { settings: KvSettings }) | null>;
  findDomainByScope(projectId: string, region: string): Promise<(KvDomain & { settings: KvSettings }) | null>;
  listDomains(organizationId: string): Promise<KvDomain[]>;
  /** Inserts the domain unless one exists for its (project, region); returns the one stored. */
  ensureDomain(domain: KvDomain, settings: KvSettings): Promise<KvDomain & { settings: KvSettings }>;
  updateSettings(projectId: string, region: string, settings: KvSettings): Promise<void>;
}
