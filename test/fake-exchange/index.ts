// Entry point for tests: the fake exchange's API and its public types.
export { startFakeExchange } from './fake-exchange.js';
export type {
  Account,
  FailureKind,
  FailureOptions,
  FakeExchange,
  FakeOrder,
  FakePosition,
  MarketKind,
  OrderStatus,
  StartOptions,
  Venue,
} from './types.js';
