/** The UI API's answer shapes, from shared/ (one definition for the engine and the renderer). */
export type { ApiKeyRecord, DryRunPosition, IssuedApiKey, Settings, StrategyOverview } from '../../../shared/api-types.js';
