/** The pages, their paths and their order in the navigation. */
export const PAGES = [
  { id: 'orders', path: '/', label: 'Live orders' },
  { id: 'positions', path: '/positions', label: 'Positions' },
  { id: 'signals', path: '/signals', label: 'Signals' },
  { id: 'manual', path: '/manual', label: 'Manual order' },
  { id: 'strategies', path: '/strategies', label: 'Strategies' },
  { id: 'keys', path: '/keys', label: 'API keys' },
  { id: 'exchanges', path: '/exchanges', label: 'Exchanges' },
  { id: 'tradingview', path: '/tradingview', label: 'TradingView' },
  { id: 'settings', path: '/settings', label: 'Settings' },
] as const;

export type PageId = (typeof PAGES)[number]['id'];

export function pageForPath(pathname: string): PageId {
  const path = pathname.replace(/\/+$/, '') || '/';
  return PAGES.find((page) => page.path === path)?.id ?? 'orders';
}

export function pathOf(page: PageId): string {
  return PAGES.find((item) => item.id === page)?.path ?? '/';
}
