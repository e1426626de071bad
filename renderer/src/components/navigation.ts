import { createContext, useContext } from 'react';
import type { PageId } from '../state/routes.js';

/** Goes to a page (with an optional query, e.g. "?order=12"), without a reload. */
export type Navigate = (page: PageId, query?: string) => void;

export const NavigationContext = createContext<Navigate>(() => undefined);

export function useNavigate(): Navigate {
  return useContext(NavigationContext);
}
