import { arrayOf, int, nullableStr, object, operation, str, time, uuid, type PathItems } from './builders.js';

const session = object({
  label: str('who signed in: an e-mail or an access key'),
  access_key: str('the API key the session acts as'),
  role: str(),
  user_id: nullableStr(),
  application_id: nullableStr(),
  organization_id: uuid(),
  default_project_id: nullableStr(),
  allowed_actions: arrayOf(str(), 'a hint for the console; every request is still authorized'),
  csrf_token: str('send it in X-CSRF-Token with every changing request'),
  created_at: time(),
  expires_at: time(),
  idle_timeout_seconds: int(),
  regions: arrayOf(str()),
});

/** The web console's sign-in, current session and sign-out. */
export const sessionPaths: PathItems = {
  '/coffer/v1/session': {
    post: operation({
      id: 'signIn',
      summary: 'Sign in to the console with an e-mail and password, or an API secret key',
      description: 'Sets the session and CSRF cookies. Refused when Sec-Fetch-Site says another site sent it.',
      tag: 'console',
      authenticated: false,
      body: object({ email: str(), password: str(undefined, { format: 'password' }), secret_key: str(undefined, { format: 'password' }) }, ['email', 'password', 'secret_key']),
      ok: { status: 201, schema: session },
      errors: [401, 403, 429],
    }),
    get: operation({ id: 'currentSession', summary: 'The session the cookie names', tag: 'console', ok: { status: 200, schema: session } }),
    delete: operation({
      id: 'signOut',
      summary: 'Sign out: ends the session and clears its cookies',
      description: 'Needs the session\'s X-CSRF-Token header when a session cookie is sent.',
      tag: 'console',
      authenticated: false,
      ok: { status: 204, schema: null },
      errors: [403],
    }),
  },
};
