import { Router } from '@koa/router';
import { ordersCsv } from '../csv/csv-export.js';
import type { EngineServices } from '../services.js';
import { csvDownload } from './csv-download.js';
import { orderFilterOf } from './ui-query.js';

/** /api/orders.csv: the journal's orders with their legs, filtered as GET /api/orders is, every one of them, as a CSV file. */
export function uiOrdersCsvRouter(services: EngineServices): Router {
  const router = new Router({ prefix: '/api' });
  router.get('/orders.csv', (ctx) => {
    csvDownload(ctx, 'orders', ordersCsv(services.journal, orderFilterOf(ctx)));
  });
  return router;
}
