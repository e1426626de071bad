import type { Command } from 'commander';
import type { z } from 'zod';
import type { ApiKeyRecord } from '../../shared/api-types.js';
import { apiKeyInputSchema, firstProblem } from '../../shared/ui-schemas.js';
import type { ApiKeys } from '../engine/auth/api-keys.js';
import type { Strategies } from '../engine/store/strategies.js';
import { openApiKeys } from './open-store.js';
import { collect, type DataDirOptions, type JsonOptions, withDataDir, withExamples, withJson } from './options.js';
import { printJson, printTable } from './output.js';
import { UsageError } from './usage-error.js';

interface CreateOptions extends DataDirOptions, JsonOptions {
  label?: string;
  tradingview?: boolean;
  strategy?: string[];
  allStrategies?: boolean;
  signBody?: boolean;
}

/** The UI's own rules for a key (a label of at most 100 characters, names a strategy can have). */
function keyInput(options: CreateOptions): z.output<typeof apiKeyInputSchema> {
  if (!options.label?.trim()) throw new UsageError('--label is required (a name you will recognise the key by)');
  const input = apiKeyInputSchema.safeParse({
    label: options.label,
    tradingview: options.tradingview ?? false,
    strategies: options.strategy ?? [],
    allStrategies: options.allStrategies ?? false,
    signBody: options.signBody ?? false,
  });
  if (!input.success) {
    const problem = firstProblem(input.error);
    const option = problem.field === 'label' ? '--label' : problem.field?.startsWith('strategies') ? '--strategy' : (problem.field ?? 'input');
    const message = problem.message.replace(/^[^:]*: /, '').replace('allow every strategy explicitly', 'allow every strategy with --all-strategies');
    throw new UsageError(`${option}: ${message}`);
  }
  return input.data;
}

/** A key scoped to a strategy that does not exist would be refused on every order it sends. */
function checkStrategiesExist(names: readonly string[], strategies: Strategies): void {
  for (const name of names) {
    if (strategies.find(name)) continue;
    const sameInAnyCase = strategies.list().find((strategy) => strategy.name.toLowerCase() === name.toLowerCase());
    const known = strategies.list().map((strategy) => strategy.name);
    throw new UsageError(
      `--strategy: no strategy named ${name}${sameInAnyCase ? ` (names match exactly: did you mean ${sameInAnyCase.name}?)` : ''}; ${known.length ? `there are ${known.join(', ')}` : 'there are none yet'} (apisify strategy add NAME makes one)`,
    );
  }
}

async function create(options: CreateOptions): Promise<void> {
  // Checked before the data dir opens, so a call refused for its options leaves nothing behind.
  const input = keyInput(options);
  const { db, apiKeys, strategies } = await openApiKeys(options.dataDir, 'write');
  try {
    checkStrategiesExist(input.strategies, strategies);
    const issued = await apiKeys.create(input);
    if (options.json) return printJson(issued);
    console.log(`API key:    ${issued.apikey}`);
    if (issued.tradingview) {
      // TradingView cannot sign: its alerts send the API key alone, so the secret is of no use there.
      console.log('A TradingView key: put it in the alert message as "apikey"; alerts need no timestamp, sign or secret.');
    } else {
      console.log(`Secret key: ${issued.secret}`);
      console.log('Sign every request with the secret key (see the README). It is shown only now: keep it somewhere safe.');
      if (input.signBody) console.log('Its signatures cover the body too: sign the body without `sign`, then add `sign` as its last field (README "Signatures that cover the body").');
    }
  } finally {
    db.close();
  }
}

async function list(options: DataDirOptions & JsonOptions): Promise<void> {
  const { db, apiKeys } = await openApiKeys(options.dataDir, 'read');
  try {
    const keys = apiKeys.list();
    if (options.json) return printJson(keys);
    printTable(
      keys.map((key) => ({ id: key.id, key: key.masked, label: key.label, tradingview: key.tradingview, strategies: key.strategies.join(',') || 'all', created: key.createdAt, 'last used': key.lastUsedAt })),
      'No API keys yet: apisify keys create --label NAME',
    );
  } finally {
    db.close();
  }
}

/** "..." for the "…" that keys list prints, since a terminal user may type three dots. */
function normalMask(text: string): string {
  return text.trim().replace(/\.\.\./g, '…');
}

/** The key named by its id (keys list's first column) or its masked form (when only one key has it); null: not one of those. */
function listedKey(apiKeys: ApiKeys, which: string): ApiKeyRecord | null {
  const active = apiKeys.list();
  if (/^\d+$/.test(which.trim())) {
    const byId = active.find((key) => key.id === Number(which.trim()));
    if (!byId) throw new UsageError(`no active API key with id ${which.trim()} (apisify keys list shows them)`);
    return byId;
  }
  const masked = active.filter((key) => key.masked === normalMask(which));
  if (masked.length > 1) throw new UsageError(`${masked.length} keys look like ${which.trim()} (ids ${masked.map((key) => key.id).join(', ')}); revoke one by its id`);
  return masked[0] ?? null;
}

async function revoke(which: string, options: DataDirOptions): Promise<void> {
  const { db, apiKeys } = await openApiKeys(options.dataDir, 'read');
  try {
    const listed = listedKey(apiKeys, which);
    const revoked = listed ? apiKeys.revokeById(listed.id) : apiKeys.revokeByKey(which.trim());
    if (!revoked) throw new UsageError('no active API key matches; give its id or masked form as apisify keys list shows them, or the whole key');
    console.log(`Revoked key ${revoked.id} ${revoked.masked} (${revoked.label}); a running server refuses it from now on.`);
  } finally {
    db.close();
  }
}

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description("apisify's own API keys, which bots and TradingView send with their orders");

  const createCommand = keys
    .command('create')
    .description('issue an API key and its secret key (shown once; the secret stays in the keychain)')
    .option('--label <text>', 'a name you will recognise the key by (required, at most 100 characters)')
    .option('--tradingview', 'a TradingView key: its alerts may post without timestamp and sign')
    .option('--strategy <name>', 'the key may trade only this strategy; repeat for more', collect)
    .option('--all-strategies', 'the key may trade every strategy, now and later (a TradingView key must say --strategy or this)')
    .option('--sign-body', "beyond the spec: the key's signatures also cover the body, so a captured one cannot carry another order");
  withJson(createCommand, 'print {"id", "apikey", "secret", "tradingview"} as JSON');
  withDataDir(createCommand);
  withExamples(createCommand, 'apisify keys create --label my-bot', 'apisify keys create --label tradingview --tradingview --strategy my_strategy', 'apisify keys create --label signed-bot --sign-body');
  createCommand.action((options: CreateOptions) => create(options));

  const listCommand = keys.command('list').description('the active keys, masked (never a secret)');
  withJson(listCommand);
  withDataDir(listCommand);
  withExamples(listCommand, 'apisify keys list', 'apisify keys list --json');
  listCommand.action((options: DataDirOptions & JsonOptions) => list(options));

  const revokeCommand = keys
    .command('revoke')
    .description('revoke a key: a running server refuses it at once')
    .argument('<key>', "the key's id or masked form as keys list shows them (ak_12ab…cdef), or the whole key");
  withDataDir(revokeCommand);
  withExamples(revokeCommand, 'apisify keys revoke 3', 'apisify keys revoke "ak_12ab…cdef"');
  revokeCommand.action((which: string, options: DataDirOptions) => revoke(which, options));
}
