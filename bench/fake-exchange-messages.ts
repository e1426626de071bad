/**
 * What the bench and the fake exchange, running in its own process (test/fake-exchange/process.ts),
 * say to each other over the IPC channel of `fork`. Types only: both sides compile against these.
 */

/** The first message to the fake: which venue, the credentials it checks, and the wallets to fill. */
export interface StartFake {
  type: 'start';
  /** The fake's venues (test/fake-exchange/types.ts); not imported, so the app's build never compiles test code. */
  venue: 'bybit' | 'binance';
  apiKey: string;
  secret: string;
  balances: Record<string, number>;
}

/** Asks for what the fake received so far, with the number of requests to one exact path. */
export interface ReportRequest {
  type: 'report';
  path: string;
}

/** Asks for the requests received from the `since`-th on (0: all), with when each arrived. */
export interface RequestsRequest {
  type: 'requests';
  since: number;
}

export type ToFake = StartFake | ReportRequest | RequestsRequest;

export interface FakeReady {
  type: 'ready';
  url: string;
}

export interface FakeReport {
  type: 'report';
  /** Requests to the asked path, refused ones included. */
  pathRequests: number;
  /** Every request received. */
  requests: number;
  /** Client order id of every order the fake accepted, oldest first. */
  clientOrderIds: string[];
  /**
   * Client order id of every request to the asked path, accepted or refused: the fake refuses an id it
   * has seen, so an order sent twice shows here, not among the accepted ones.
   */
  requestedClientOrderIds: string[];
}

/** One request as the fake received it: `at` is epoch ms with sub-ms precision, as the bench's clock reads it. */
export interface ArrivedRequest {
  method: string;
  path: string;
  at: number;
  /** Bybit's orderLinkId or Binance's newClientOrderId, where the request carried one. */
  clientOrderId: string | null;
}

export interface FakeRequests {
  type: 'requests';
  requests: ArrivedRequest[];
}

export type FromFake = FakeReady | FakeReport | FakeRequests;
