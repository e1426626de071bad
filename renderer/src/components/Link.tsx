import type { ReactNode } from 'react';
import { type PageId, pathOf } from '../state/routes.js';
import { useNavigate } from './navigation.js';

/** A link to one of the app's pages, without a reload. */
export function Link({ to, children }: { to: PageId; children: ReactNode }) {
  const navigate = useNavigate();
  return (
    <a
      href={pathOf(to)}
      onClick={(event) => {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
        event.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}
