import type { ReactNode } from 'react';

export const Loading = ({ what }: { what: string }) => (
  <p className="state" role="status" aria-live="polite">
    Loading {what}…
  </p>
);

export const ErrorMessage = ({ error }: { error: unknown }) =>
  error ? (
    <p className="error" role="alert">
      {error instanceof Error ? error.message : String(error)}
    </p>
  ) : null;

export const Empty = ({ children }: { children: ReactNode }) => <div className="state empty">{children}</div>;

export const Notice = ({ children }: { children: ReactNode }) => (
  <p className="notice" role="status">
    {children}
  </p>
);
