import { PassThrough } from 'node:stream';
import type { Context } from 'koa';
import type { EngineStatus } from '../../../shared/engine-status.js';
import type { EventBus } from '../events/event-bus.js';

const KEEPALIVE_MS = 15_000;

/** Server-Sent Events: the status first, then every engine event as it happens, until the client leaves. */
export function streamEvents(ctx: Context, events: EventBus, status: EngineStatus): void {
  const stream = new PassThrough();
  ctx.req.socket.setTimeout(0);
  ctx.req.socket.setNoDelay(true);
  ctx.set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
  ctx.status = 200;
  ctx.body = stream;

  const send = (data: unknown) => stream.write(`data: ${JSON.stringify(data)}\n\n`);
  send({ type: 'status', status });
  const unsubscribe = events.subscribe(send);
  const keepalive = setInterval(() => stream.write(': keepalive\n\n'), KEEPALIVE_MS);
  const close = () => {
    clearInterval(keepalive);
    unsubscribe();
    stream.end();
  };
  ctx.req.on('close', close);
  stream.on('error', close);
}
