import { useEffect, useState } from 'react';

/** A few routes under /console, kept in the URL so that reload, back and links work. */
export const BASE = '/console';

export const navigate = (path: string): void => {
  window.history.pushState(null, '', `${BASE}${path}`);
  window.dispatchEvent(new PopStateEvent('popstate'));
};

const currentPath = (): string => {
  const path = window.location.pathname.startsWith(BASE) ? window.location.pathname.slice(BASE.length) : '/';
  return path === '' ? '/' : path;
};

export const usePath = (): string => {
  const [path, setPath] = useState(currentPath);
  useEffect(() => {
    const update = (): void => setPath(currentPath());
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  return path;
};

/** Link clicks stay in the app; modified clicks still open new tabs. */
export const linkProps = (path: string) => ({
  href: `${BASE}${path}`,
  onClick: (event: { preventDefault(): void; metaKey: boolean; ctrlKey: boolean; shiftKey: boolean }) => {
    if (!event.metaKey && !event.ctrlKey && !event.shiftKey) {
      event.preventDefault();
      navigate(path);
    }
  },
});
