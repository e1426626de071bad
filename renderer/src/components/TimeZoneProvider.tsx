import type { ReactNode } from 'react';
import { getSettings } from '../api/endpoints.js';
import { useApi } from '../engine/use-api.js';
import { intlZone } from '../state/order-format.js';
import { TimeZoneContext } from './time-zone.js';

/** Every time on screen follows the timeZone setting, and changes with it at once. */
export function TimeZoneProvider({ children }: { children: ReactNode }) {
  const settings = useApi(getSettings, ['settings']);
  const zone = settings.data ? intlZone(settings.data.timeZone) : undefined;
  return <TimeZoneContext.Provider value={zone}>{children}</TimeZoneContext.Provider>;
}
