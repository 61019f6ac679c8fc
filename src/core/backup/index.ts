export type { SnapshotSource, StoreSnapshot } from './backup-port.js';
export { createBackupService } from './backup-service.js';
export type { BackupService } from './backup-service.js';
export { createExportService } from './export-service.js';
export type { ExportService, ExportRequest } from './export-service.js';
