import { SETTING_FIELDS, type SettingField, type SettingName } from '../../../shared/settings-fields.js';
import { firstProblem, type SettingsChanges, settingsChangesSchema } from '../../../shared/ui-schemas.js';
import type { Settings } from './api-types.js';

/**
 * The settings form as typed: one entry per setting, under the setting's own name, in its own unit
 * (what `apisify settings set NAME VALUE` takes): text for the typed ones, booleans for the switches.
 */
export type SettingsForm = Record<SettingName, string | boolean>;

function typed(field: SettingField): boolean {
  return field.kind !== 'switch';
}

export function settingsToForm(settings: Settings): SettingsForm {
  const form = {} as SettingsForm;
  for (const field of SETTING_FIELDS) {
    const value = settings[field.name];
    form[field.name] = field.kind === 'switch' ? value === true : value === null ? '' : String(value);
  }
  return form;
}

type Problem = { ok: false; field: string | null; message: string };

/** The typed text as the setting's value, or what was expected (named as the page names it). */
function valueOf(field: SettingField, raw: string | boolean): unknown {
  if (!typed(field)) return raw === true;
  const text = String(raw).trim();
  switch (field.kind) {
    case 'url':
      return text === '' ? null : text;
    case 'text':
    case 'choice':
      return text;
    default:
      return /^\d+(\.\d+)?$/.test(text) ? Number(text) : { problem: `${field.name}: expected a number${field.unit ? ` (${field.unit})` : ''}, got ${JSON.stringify(text)}` };
  }
}

/** The body of PATCH /api/settings: only what changed, checked with the server's schema. */
export function settingsChanges(original: Settings, form: SettingsForm): { ok: true; value: SettingsChanges } | Problem {
  const changes: Record<string, unknown> = {};
  for (const field of SETTING_FIELDS) {
    const value = valueOf(field, form[field.name]);
    if (value !== null && typeof value === 'object' && 'problem' in value) return { ok: false, field: field.name, message: String(value.problem) };
    if (value !== original[field.name]) changes[field.name] = value;
  }
  const result = settingsChangesSchema.safeParse(changes);
  if (!result.success) return { ok: false, ...firstProblem(result.error) };
  return { ok: true, value: result.data };
}

/** Host and ports are read when the server starts. */
export function needsRestart(changes: SettingsChanges): boolean {
  return SETTING_FIELDS.some((field) => field.onRestart && changes[field.name] !== undefined);
}
