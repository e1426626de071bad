import { useEffect, useState } from 'react';
import type { MarketsAnswer } from '../../../../shared/manual-order-api.js';
import { messageOf } from '../../api/client.js';
import { listMarkets } from '../../api/endpoints.js';
import { useEngineEvents } from '../../engine/EngineProvider.js';

export interface Markets {
  answer: MarketsAnswer | null;
  /** Why there is no answer (the endpoint failed), in words. */
  failure: string | null;
  loading: boolean;
}

/** GET /api/markets for the chosen strategy and exchange; again when accounts or strategies change. */
export function useMarkets(strategy: string, exchange: string): Markets {
  const [markets, setMarkets] = useState<Markets>({ answer: null, failure: null, loading: false });
  const [generation, setGeneration] = useState(0);
  useEngineEvents((event) => {
    if (event.type === 'resync' || (event.type === 'config' && (event.what === 'exchanges' || event.what === 'strategies'))) setGeneration((current) => current + 1);
  });
  useEffect(() => {
    if (strategy === '' || exchange === '') {
      setMarkets({ answer: null, failure: null, loading: false });
      return;
    }
    let current = true;
    setMarkets({ answer: null, failure: null, loading: true });
    listMarkets(strategy, exchange).then(
      (answer) => current && setMarkets({ answer, failure: null, loading: false }),
      (error: unknown) => current && setMarkets({ answer: null, failure: messageOf(error), loading: false }),
    );
    return () => {
      current = false;
    };
  }, [strategy, exchange, generation]);
  return markets;
}
