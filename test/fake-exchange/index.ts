// Entry point for tests: the fake exchange's API and its public types.
export { startFakeExchange } from './fake-exchange.js';
export { STANDARD_FEES } from './fees.js';
export { PUBLISHED_LIMITS } from './rate-limits.js';
export type { FeeOption, FeeRates, FeeSchedule } from './fees.js';
export type {
  Account,
  FailureKind,
  FailureOptions,
  FakeExchange,
  FakeOrder,
  FakePosition,
  MarketKind,
  OrderStatus,
  RecordedRequest,
  StartOptions,
  Venue,
  WebsocketFailure,
  WebsocketStats,
} from './types.js';
