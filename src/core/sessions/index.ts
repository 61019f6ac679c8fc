export { createSessionService } from './session-service.js';
export type { SessionService, SessionServiceDeps, OpenedSession } from './session-service.js';
export type { ResolvedSession, SessionRecord, SessionSettings, SessionStore } from './session-model.js';
