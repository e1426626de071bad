import { type Command, Option } from 'commander';
import { UsageError } from './usage-error.js';

/** The options every command that touches the data dir takes. */
export interface DataDirOptions {
  dataDir?: string;
}

export interface JsonOptions {
  json?: boolean;
}

export function withDataDir(command: Command): Command {
  return command.addOption(new Option('--data-dir <dir>', 'the data dir (else APISIFY_DATA_DIR, else the per-user app data folder)'));
}

export function withJson(command: Command, what = 'print JSON instead of a table'): Command {
  return command.option('--json', what);
}

/** The "Examples:" block at the end of a command's --help. */
export function withExamples(command: Command, ...examples: string[]): Command {
  return command.addHelpText('after', `\nExamples:\n${examples.map((example) => `  $ ${example}`).join('\n')}`);
}

/** A repeatable option (--strategy a --strategy b) collects into a list. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** A whole number given to `option`, in [min, max]; anything else names the option as typed. */
export function wholeNumber(option: string, text: string, min: number, max: number): number {
  const value = Number(text.trim());
  if (!/^-?\d{1,15}$/.test(text.trim()) || value < min || value > max) throw new UsageError(`${option}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
  return value;
}
