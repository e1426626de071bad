import { PassThrough } from 'node:stream';
import type { Context } from 'koa';
import type { EngineStatus } from '../../../shared/engine-status.js';
import type { EventBus } from '../events/event-bus.js';

const KEEPALIVE_MS = 15_000;
/**
 * How much may wait for a client that does not read (a UI whose network vanished behind a tunnel):
 * past it the connection is cut, and the client, if it is still there, reconnects and resyncs. Without
 * a bound every event would pile up in memory for as long as TCP takes to give up.
 */
export const SSE_BACKLOG_BYTES = 4 * 1024 * 1024;

/** Server-Sent Events: the status first, then every engine event as it happens, until the client leaves. */
export function streamEvents(ctx: Context, events: EventBus, status: EngineStatus): void {
  const stream = new PassThrough();
  ctx.req.socket.setTimeout(0);
  ctx.req.socket.setNoDelay(true);
  ctx.set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
  ctx.status = 200;
  ctx.body = stream;

  let closed = false;
  let unsubscribe = () => {};
  let keepalive: NodeJS.Timeout | undefined;
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(keepalive);
    unsubscribe();
    stream.end();
  };
  const write = (text: string) => {
    if (closed) return;
    if (stream.writableLength + stream.readableLength > SSE_BACKLOG_BYTES) {
      close();
      ctx.req.socket.destroy();
      return;
    }
    stream.write(text);
  };
  const send = (data: unknown) => write(`data: ${JSON.stringify(data)}\n\n`);
  send({ type: 'status', status });
  unsubscribe = events.subscribe(send);
  keepalive = setInterval(() => write(': keepalive\n\n'), KEEPALIVE_MS);
  ctx.req.on('close', close);
  stream.on('error', close);
}
