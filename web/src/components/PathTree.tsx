import { useEffect, useState } from 'react';
import { get, query, secretsApi } from '../api';
import type { BrowseItem } from '../types';
import { ErrorMessage } from './states';

/** Folders under the current path, browsed like a file manager; the root is `/`. */
export const PathTree = ({ region, path, onPath }: { region: string; path: string; onPath: (path: string) => void }) => {
  const [folders, setFolders] = useState<string[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setFolders(null);
    setError(null);
    get<{ items: BrowseItem[] }>(`${secretsApi(region)}/secrets/browse${query({ prefix: path, page_size: 100 })}`).then(
      (result) => setFolders(result.items.filter((item) => item.folder !== undefined).map((item) => item.name)),
      setError,
    );
  }, [region, path]);
  const segments = path.split('/').filter(Boolean);
  return (
    <nav className="tree" aria-label="Secret folders">
      <ol className="crumbs">
        <li>
          <button type="button" className="link" onClick={() => onPath('/')} aria-current={path === '/' ? 'location' : undefined}>
            /
          </button>
        </li>
        {segments.map((segment, index) => {
          const target = `/${segments.slice(0, index + 1).join('/')}`;
          return (
            <li key={target}>
              <button type="button" className="link" onClick={() => onPath(target)} aria-current={target === path ? 'location' : undefined}>
                {segment}
              </button>
            </li>
          );
        })}
      </ol>
      <ErrorMessage error={error} />
      {folders === null ? null : folders.length === 0 ? (
        <p className="muted">No sub-folders</p>
      ) : (
        <ul>
          {folders.map((folder) => (
            <li key={folder}>
              <button type="button" className="link folder" onClick={() => onPath(`${path === '/' ? '' : path}/${folder.replace(/\/$/, '')}`)}>
                {folder.replace(/\/$/, '')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </nav>
  );
};
