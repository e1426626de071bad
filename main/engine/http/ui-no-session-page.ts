import type { Context } from 'koa';

/**
 * What a browser shows for a page of the UI opened without a session (a bookmark, a copied address,
 * a one-time link used twice): how to get in, instead of a bare JSON error. Static text only, no script,
 * so the page is the same for everyone and says nothing about the engine. The code stays in it for tools.
 */
export function noSessionPage(linkSpent: boolean): string {
  const lead = linkSpent
    ? 'This one-time link has been used already, or it has expired.'
    : 'This page needs a session, which only the one-time link from apisify opens.';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>apisify: open it from its link</title>
<style>
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: #0d1014; color: #d9dfe7; font: 15px/1.5 system-ui, sans-serif; }
  main { max-width: 34rem; padding: 2rem 2.2rem; background: #171d25; border: 1px solid #27303b; border-radius: 8px; }
  h1 { margin: 0 0 .8rem; font-size: 1.25rem; }
  code { background: #0d1014; border: 1px solid #364150; border-radius: 4px; padding: .05rem .35rem; }
  li { margin: .35rem 0; }
  .muted { color: #8390a1; font-size: .85rem; }
</style>
</head>
<body>
<main>
<h1>Open apisify from its link</h1>
<p>${lead}</p>
<ul>
<li>On the desktop: the tray icon's <strong>Open apisify</strong>.</li>
<li>In a terminal: <code>apisify ui</code> prints a new link; open it in this browser.</li>
</ul>
<p class="muted">Each link works once and becomes a session cookie for this browser. (401 session_required)</p>
</main>
</body>
</html>
`;
}

/** A browser navigating to a page (not a script calling /api): it asks for HTML before JSON. */
export function wantsPage(ctx: Context): boolean {
  if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return false;
  if (ctx.path === '/api' || ctx.path.startsWith('/api/')) return false;
  return ctx.accepts('json', 'html') === 'html';
}
