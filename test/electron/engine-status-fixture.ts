import type { EngineStatus } from '../../shared/engine-status.js';

/** A healthy, running engine's status; tests override what they are about. */
export function engineStatus(overrides: Partial<EngineStatus> = {}): EngineStatus {
  return {
    url: 'http://127.0.0.1:8470',
    publicUrl: null,
    paused: false,
    notifications: true,
    keychain: 'keychain',
    tunnel: { state: 'off' },
    ordersToday: 0,
    lastOrder: null,
    error: null,
    exchanges: [],
    ...overrides,
  };
}
