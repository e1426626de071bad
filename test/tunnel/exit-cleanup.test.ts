import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, FAKE_PUBLIC_URL, fakeCloudflared, isAlive } from './fake-cloudflared.js';

/**
 * A cloudflared must not outlive the process that started it. This needs a real process exit, so the
 * tunnel module runs in a child Node: its files transpiled to JavaScript (no type check; tsc does that).
 */

const TUNNEL_SOURCE = fileURLToPath(new URL('../../main/engine/tunnel/', import.meta.url));
let workDir = '';

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'apisify-exit-cleanup-'));
  const out = join(workDir, 'tunnel');
  mkdirSync(out);
  writeFileSync(join(workDir, 'package.json'), '{"type":"module"}');
  const transpile = (source: string, target: string) => {
    const { outputText } = ts.transpileModule(readFileSync(source, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
    });
    writeFileSync(target, outputText);
  };
  for (const file of readdirSync(TUNNEL_SOURCE).filter((name) => name.endsWith('.ts'))) transpile(join(TUNNEL_SOURCE, file), join(out, file.replace(/\.ts$/, '.js')));
  // The one module outside the tunnel folder that it imports.
  transpile(join(TUNNEL_SOURCE, '..', 'process-running.ts'), join(workDir, 'process-running.js'));
  // Starts a tunnel with the stand-in, says so, then ends the way the test asks.
  writeFileSync(
    join(workDir, 'host.mjs'),
    `import { startCloudflaredTunnel } from './tunnel/cloudflared.js';
const tunnel = await startCloudflaredTunnel('http://127.0.0.1:48470', { extraDirs: [] });
process.stdout.write(tunnel.publicUrl + '\\n');
setTimeout(() => {
  if (process.argv[2] === 'crash') throw new Error('host crashed');
  process.exit(0);
}, 50);
`,
  );
});

afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
});

function runHost(how: 'exit' | 'crash', env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const host = spawn(process.execPath, [join(workDir, 'host.mjs'), how], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    host.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    host.once('error', reject);
    host.once('close', (code) => resolve({ code, stdout }));
  });
}

describe('when the process that started cloudflared exits', () => {
  it.each(['exit', 'crash'] as const)('cloudflared ends too (%s)', async (how) => {
    const fake = fakeCloudflared('tunnel');
    try {
      const { code, stdout } = await runHost(how, fake.env);

      expect(stdout.trim()).toBe(FAKE_PUBLIC_URL);
      expect(code).toBe(how === 'exit' ? 0 : 1);
      await eventually(() => !isAlive(fake.recorded().pid), 'the orphaned cloudflared to end');
    } finally {
      const { pid } = fake.recorded();
      if (isAlive(pid)) process.kill(pid, 'SIGKILL');
      fake.cleanup();
    }
  });
});
