import type { Command } from 'commander';
import { type SettingField, SETTING_FIELDS, settingField, hostWarning } from '../../shared/settings-fields.js';
import { firstProblem, settingsChangesSchema } from '../../shared/ui-schemas.js';
import { SettingsStore } from '../engine/store/settings.js';
import { withDataDir as openingDataDir } from './open-store.js';
import { type DataDirOptions, type JsonOptions, withDataDir, withExamples, withJson } from './options.js';
import { printJson, printTable } from './output.js';
import { UsageError } from './usage-error.js';

/** The closest known name, for a typo's message (keyburst: keyBurst). */
function suggestion(name: string): string {
  const lower = name.toLowerCase();
  const close = SETTING_FIELDS.find((field) => field.name.toLowerCase() === lower || field.name.toLowerCase().startsWith(lower.slice(0, 6)));
  return close ? ` (did you mean ${close.name}?)` : '';
}

function fieldOf(name: string): SettingField {
  const field = settingField(name);
  if (field) return field;
  if (name === 'paused') throw new UsageError('paused is not set here: apisify pause and apisify resume switch trading off and on');
  throw new UsageError(`unknown setting ${JSON.stringify(name)}${suggestion(name)}; apisify settings list shows them all`);
}

/** The typed text as the setting's value: a number, true/false, a word, or none/null for "no public URL". */
function valueOf(field: SettingField, text: string): unknown {
  const trimmed = text.trim();
  switch (field.kind) {
    case 'text':
      return trimmed;
    case 'url':
      return ['', 'none', 'null'].includes(trimmed.toLowerCase()) ? null : trimmed;
    case 'switch':
      if (trimmed === 'true' || trimmed === 'false') return trimmed === 'true';
      throw new UsageError(`${field.name}: expected true or false, got ${JSON.stringify(text)}`);
    case 'choice':
      return trimmed.toLowerCase();
    case 'port':
    case 'duration':
    case 'count':
    case 'rate':
      if (!/^\d+(\.\d+)?$/.test(trimmed)) throw new UsageError(`${field.name}: expected a number${field.unit ? ` (${field.unit})` : ''}, got ${JSON.stringify(text)}`);
      return Number(trimmed);
  }
}

function changesOf(pairs: readonly string[]): Record<string, unknown> {
  if (pairs.length === 0 || pairs.length % 2 !== 0) throw new UsageError(`expected NAME VALUE pairs, got ${pairs.length} word${pairs.length === 1 ? '' : 's'}; e.g. apisify settings set keyRatePerSecond 20 keyBurst 40`);
  const changes: Record<string, unknown> = {};
  for (let index = 0; index < pairs.length; index += 2) {
    const field = fieldOf(pairs[index] as string);
    changes[field.name] = valueOf(field, pairs[index + 1] as string);
  }
  return changes;
}

function print(settings: Record<string, unknown>, options: JsonOptions): void {
  if (options.json) return printJson(settings);
  printTable(
    [...SETTING_FIELDS.map((field) => ({ name: field.name, value: JSON.stringify(settings[field.name]), unit: field.unit ?? '', what: field.label })), { name: 'paused', value: JSON.stringify(settings['paused']), unit: '', what: 'Trading paused (apisify pause / resume)' }],
    'No settings',
  );
}

/**
 * The same settings as the UI's Settings page, by the same names and units. A running server reads them
 * from SQLite on every request, so a change applies to the next order (host and port: on restart).
 */
function set(pairs: readonly string[], options: DataDirOptions & JsonOptions): Promise<void> {
  const parsed = settingsChangesSchema.safeParse(changesOf(pairs));
  if (!parsed.success) throw new UsageError(firstProblem(parsed.error).message);
  const warning = parsed.data.host === undefined ? null : hostWarning(parsed.data.host);
  return openingDataDir(options.dataDir, 'write', ({ db }) => {
    const settings = new SettingsStore(db).update(parsed.data);
    if (warning) console.error(`apisify: warning: ${warning}`);
    print(settings as unknown as Record<string, unknown>, options);
  });
}

function list(options: DataDirOptions & JsonOptions): Promise<void> {
  return openingDataDir(options.dataDir, 'read', ({ db }) => print(new SettingsStore(db).get() as unknown as Record<string, unknown>, options));
}

export function registerSettings(program: Command): void {
  const settings = program.command('settings').description("the settings of the UI's Settings page, by the same names and units");

  const listCommand = settings.command('list').description('every setting with its value and unit');
  withJson(listCommand, 'print the settings as one JSON object');
  withDataDir(listCommand);
  withExamples(listCommand, 'apisify settings list');
  listCommand.action((options: DataDirOptions & JsonOptions) => list(options));

  const names = SETTING_FIELDS.map((field) => `  ${field.name.padEnd(24)}${field.unit ? `(${field.unit}) ` : ''}${field.kind === 'choice' ? `${field.choices?.join(' or ')}; ` : field.kind === 'switch' ? 'true or false; ' : ''}${field.hint}`).join('\n');
  const setCommand = settings
    .command('set')
    .description('change settings: NAME VALUE, as many pairs as you like (checked as the UI checks them)')
    .argument('<name-value...>', 'NAME VALUE pairs');
  withJson(setCommand, 'print the settings after the change as JSON');
  withDataDir(setCommand);
  setCommand.addHelpText('after', `\nSettings:\n${names}`);
  withExamples(setCommand, 'apisify settings set keyRatePerSecond 20 keyBurst 40', 'apisify settings set signatureWindowMs 60000', 'apisify settings set publicUrl https://abc.trycloudflare.com', 'apisify settings set publicUrl none');
  setCommand.action((pairs: string[], options: DataDirOptions & JsonOptions) => set(pairs, options));
}
