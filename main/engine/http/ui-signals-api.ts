import { Router } from '@koa/router';
import { signalsCsv } from '../csv/csv-export.js';
import type { EngineServices } from '../services.js';
import { csvDownload } from './csv-download.js';
import { pageOf, signalFilterOf } from './ui-query.js';

/**
 * /api/signals: the signal log, newest first, paged like /api/orders (?limit=&before=), filtered by
 * ?outcome=accepted|refused and ?strategy=; new entries arrive on the event stream as `signals`.
 * /api/signals.csv: the same filter, every entry, as a CSV file.
 */
export function uiSignalsRouter(services: EngineServices): Router {
  const router = new Router({ prefix: '/api' });

  router.get('/signals', (ctx) => {
    ctx.body = services.signals.list({ ...signalFilterOf(ctx), ...pageOf(ctx) });
  });

  router.get('/signals.csv', (ctx) => {
    const filter = signalFilterOf(ctx);
    // What waits for its batch belongs in the file too.
    services.signals.flush();
    csvDownload(ctx, 'signals', signalsCsv(services.signals, filter));
  });

  return router;
}
