import { useEffect, useState } from 'react';
import { Nav } from './components/Nav.js';
import { PausedBanner } from './components/PausedBanner.js';
import { NavigationContext, type Navigate } from './components/navigation.js';
import { ConnectionLost } from './components/ConnectionLost.js';
import { StatusBar } from './components/StatusBar.js';
import { TimeZoneProvider } from './components/TimeZoneProvider.js';
import { EngineProvider } from './engine/EngineProvider.js';
import { ExchangesPage } from './pages/exchanges/ExchangesPage.js';
import { KeysPage } from './pages/keys/KeysPage.js';
import { ManualOrderPage } from './pages/manual/ManualOrderPage.js';
import { OrdersPage } from './pages/orders/OrdersPage.js';
import { PositionsPage } from './pages/positions/PositionsPage.js';
import { SettingsPage } from './pages/settings/SettingsPage.js';
import { SignalsPage } from './pages/signals/SignalsPage.js';
import { StrategiesPage } from './pages/strategies/StrategiesPage.js';
import { TradingViewPage } from './pages/tradingview/TradingViewPage.js';
import { type PageId, pageForPath, pathOf } from './state/routes.js';

const PAGE_COMPONENTS: Record<PageId, () => React.JSX.Element> = {
  orders: OrdersPage,
  positions: PositionsPage,
  signals: SignalsPage,
  manual: ManualOrderPage,
  strategies: StrategiesPage,
  keys: KeysPage,
  exchanges: ExchangesPage,
  tradingview: TradingViewPage,
  settings: SettingsPage,
};

/** The shell: navigation, the current page, the status bar; pages are paths, switched without reloads. */
export function App() {
  const [page, setPage] = useState<PageId>(() => pageForPath(window.location.pathname));
  const [visit, setVisit] = useState(0);

  useEffect(() => {
    const onPop = () => setPage(pageForPath(window.location.pathname));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const navigate: Navigate = (next, query = '') => {
    window.history.pushState(null, '', `${pathOf(next)}${query}`);
    setPage(next);
    setVisit((value) => value + 1);
  };

  const Page = PAGE_COMPONENTS[page];
  return (
    <EngineProvider>
      <TimeZoneProvider>
        <NavigationContext.Provider value={navigate}>
          <div className="app">
            <Nav current={page} />
            <main className="content" data-page={page}>
              <PausedBanner />
              <Page key={`${page}-${visit}`} />
            </main>
            <StatusBar />
            <ConnectionLost />
          </div>
        </NavigationContext.Provider>
      </TimeZoneProvider>
    </EngineProvider>
  );
}
