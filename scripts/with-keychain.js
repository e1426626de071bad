#!/usr/bin/env node
// Runs a command with a real, throwaway OS keychain, so `npm test` works the same on a developer's
// desktop and on a headless CI machine, and never touches the user's own keyring.
// Linux: a private D-Bus session with gnome-keyring's Secret Service, unlocked, in a fresh
// XDG_DATA_HOME (an old keyring with another password would refuse writes). Elsewhere the
// platform's keychain is always there, so the command runs as it is.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const command = process.argv.slice(2);
if (command.length === 0) {
  console.error('usage: with-keychain.js COMMAND [ARGS...]');
  process.exit(2);
}

function run(argv, env) {
  const result = spawnSync(argv[0], argv.slice(1), { stdio: 'inherit', env });
  if (result.error) {
    console.error(`with-keychain: could not run ${argv[0]}: ${result.error.message}`);
    return 127;
  }
  return result.status ?? 1;
}

if (process.platform !== 'linux' || process.env.APISIFY_KEYCHAIN_WRAPPED) {
  process.exit(run(command, process.env));
}

const missing = ['dbus-run-session', 'gnome-keyring-daemon'].filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
if (missing.length > 0) {
  console.error(`with-keychain: ${missing.join(' and ')} not found; install them (Debian/Ubuntu: apt-get install dbus gnome-keyring libsecret-1-0)`);
  process.exit(1);
}

const dataHome = mkdtempSync(join(tmpdir(), 'apisify-keyring-'));
const script = 'printf "%s" "$APISIFY_TEST_KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; exec "$@"';
const env = { ...process.env, XDG_DATA_HOME: dataHome, APISIFY_KEYCHAIN_WRAPPED: '1', APISIFY_TEST_KEYRING_PASSWORD: 'apisify-test-keyring' };
delete env.APISIFY_MASTER_PASSWORD;
const status = run(['dbus-run-session', '--', 'sh', '-c', script, 'with-keychain', ...command], env);
rmSync(dataHome, { recursive: true, force: true });
process.exit(status);
