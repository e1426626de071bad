import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context } from 'koa';
import { ApiError } from './api-error.js';

/** Where `vite build` puts the renderer: dist/renderer, beside the compiled engine in dist/main. */
export const RENDERER_DIR = fileURLToPath(new URL('../../../renderer/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** The path as a file name; bad percent-encoding (`/%ff`) is the client's mistake, a 400, not an internal error. */
function decodedPath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    throw new ApiError(400, 'invalid_path', `path: ${JSON.stringify(path)} is not valid percent-encoded UTF-8`);
  }
}

/** Serves the built renderer; any unknown path without an extension gets index.html (client-side routes). */
export async function serveRenderer(ctx: Context, root = RENDERER_DIR): Promise<boolean> {
  if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return false;
  const relative = normalize(decodedPath(ctx.path)).replace(/^([/\\])+/, '');
  let file = join(root, relative);
  if (!file.startsWith(root.endsWith(sep) ? root : root + sep) && file !== root) return false;
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) {
    if (extname(relative) !== '') return false;
    file = join(root, 'index.html');
    if (!(await stat(file).catch(() => null))?.isFile()) {
      ctx.type = 'text/plain';
      ctx.body = 'The apisify UI is not built: run `npm run build`.';
      ctx.status = 503;
      return true;
    }
  }
  ctx.type = TYPES[extname(file)] ?? 'application/octet-stream';
  ctx.set('Cache-Control', file.endsWith('index.html') ? 'no-store' : 'private, max-age=3600');
  ctx.body = await readFile(file);
  return true;
}
