import { parseArgs } from 'node:util';
import { firstProblem, settingsChangesSchema } from '../../shared/ui-schemas.js';
import { SettingsStore } from '../engine/store/settings.js';
import { openDataDir } from './open-store.js';
import { printJson, printTable } from './output.js';
import { UsageError } from './usage-error.js';

const USAGE = 'usage: apisify settings list [--json] | apisify settings set NAME VALUE [NAME VALUE]...';

/** "3000" is a number, "true" a boolean, "null" clears; anything else is taken as text (a URL, a host). */
function valueOf(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * The same settings as the UI's Settings page, for machines without a desktop. A running server reads
 * them from SQLite on every request, so a change applies to the next order (host and port: on restart).
 */
export async function settingsCommand(args: string[]): Promise<void> {
  const [action, ...rest] = args;
  const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { json: { type: 'boolean', default: false }, 'data-dir': { type: 'string' } } });
  if (action !== 'list' && action !== 'set') throw new UsageError(USAGE);
  if (action === 'set' && (positionals.length === 0 || positionals.length % 2 !== 0)) throw new UsageError(`settings set: expected NAME VALUE pairs; ${USAGE}`);

  const changes: Record<string, unknown> = {};
  for (let index = 0; index < positionals.length; index += 2) changes[positionals[index] as string] = valueOf(positionals[index + 1] as string);
  const parsed = settingsChangesSchema.safeParse(changes);
  if (!parsed.success) throw new UsageError(`settings set: ${firstProblem(parsed.error).message}`);

  const { db } = openDataDir(values['data-dir']);
  try {
    const store = new SettingsStore(db);
    const settings = action === 'set' ? store.update(parsed.data) : store.get();
    if (values.json) return printJson(settings);
    printTable(
      Object.entries(settings).map(([name, value]) => ({ name, value: JSON.stringify(value) })),
      'No settings',
    );
  } finally {
    db.close();
  }
}
