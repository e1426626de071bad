import { createContext, useContext } from 'react';

/** The Intl zone every time on screen is shown in (undefined: the computer's own), from the timeZone setting. */
export const TimeZoneContext = createContext<string | undefined>(undefined);

export function useTimeZone(): string | undefined {
  return useContext(TimeZoneContext);
}
