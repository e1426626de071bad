import { Router } from '@koa/router';
import { z } from 'zod';
import { firstProblem } from '../../../shared/ui-schemas.js';
import type { EngineServices } from '../services.js';
import { ApiError } from './api-error.js';
import { readJsonBody } from './read-body.js';

const flattenRequestSchema = z.strictObject({
  exchange: z.string('expected an exchange name').optional(),
  account: z.string('expected an account name').optional(),
  strategy: z.string('expected a strategy name').optional(),
  pause: z.boolean('expected true or false').optional(),
});

/** POST /api/flatten: close what is open (README "Flatten and kill switch"); the answer lists each Close and cancel. */
export function uiFlattenRouter(services: EngineServices): Router {
  const router = new Router({ prefix: '/api' });

  router.post('/flatten', async (ctx) => {
    const parsed = flattenRequestSchema.safeParse((await readJsonBody(ctx)).value ?? {});
    if (!parsed.success) {
      const problem = firstProblem(parsed.error);
      throw new ApiError(400, 'invalid_field', problem.message, problem.field);
    }
    const answer = await services.flatten.flatten(parsed.data);
    if (answer.paused) services.publishStatus();
    ctx.body = answer;
  });

  return router;
}
