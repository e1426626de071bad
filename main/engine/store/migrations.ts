/**
 * Numbered, append-only schema steps. A released step is never edited: add the next one.
 * Secrets are never stored here: API keys are kept as a SHA-256 digest plus a masked form.
 */
export const MIGRATIONS: readonly string[] = [
  /* 1 */ `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);

  CREATE TABLE api_keys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key_digest TEXT NOT NULL UNIQUE,
    masked TEXT NOT NULL,
    label TEXT NOT NULL,
    tradingview INTEGER NOT NULL CHECK (tradingview IN (0, 1)),
    strategies TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
  );

  CREATE TABLE strategies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    mode TEXT NOT NULL CHECK (mode IN ('live', 'dry-run')),
    market_type TEXT NOT NULL CHECK (market_type IN ('swap', 'spot')),
    max_qty REAL,
    symbols TEXT NOT NULL DEFAULT '[]',
    exchanges TEXT NOT NULL DEFAULT '[]',
    enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );

  CREATE TABLE orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    received_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('api', 'tradingview', 'manual')),
    api_key_id INTEGER REFERENCES api_keys (id),
    strategy TEXT NOT NULL,
    exchange TEXT NOT NULL,
    symbol TEXT NOT NULL,
    side TEXT NOT NULL,
    intent TEXT NOT NULL,
    order_type TEXT NOT NULL CHECK (order_type IN ('market', 'limit')),
    qty TEXT,
    price TEXT,
    memo TEXT,
    dry_run INTEGER NOT NULL CHECK (dry_run IN (0, 1)),
    status TEXT NOT NULL,
    plan TEXT,
    error_code TEXT,
    error_message TEXT,
    request_json TEXT NOT NULL,
    body_digest TEXT
  );
  CREATE INDEX orders_by_body ON orders (body_digest, received_at);
  CREATE INDEX orders_by_status ON orders (status);

  CREATE TABLE order_legs (
    order_id INTEGER NOT NULL REFERENCES orders (id),
    leg INTEGER NOT NULL,
    client_order_id TEXT NOT NULL UNIQUE,
    exchange_order_id TEXT,
    side TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
    type TEXT NOT NULL CHECK (type IN ('market', 'limit')),
    amount TEXT NOT NULL,
    price TEXT,
    reduce_only INTEGER NOT NULL CHECK (reduce_only IN (0, 1)),
    status TEXT NOT NULL,
    filled TEXT NOT NULL DEFAULT '0',
    average_price TEXT,
    sent_at TEXT,
    answered_at TEXT,
    error TEXT,
    PRIMARY KEY (order_id, leg)
  );

  CREATE TABLE dry_run_positions (
    strategy TEXT NOT NULL,
    exchange TEXT NOT NULL,
    symbol TEXT NOT NULL,
    qty TEXT NOT NULL,
    entry_price TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (strategy, exchange, symbol)
  );

  CREATE TABLE rejected_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    remote_address TEXT,
    apikey_masked TEXT,
    status INTEGER NOT NULL,
    code TEXT NOT NULL,
    field TEXT,
    message TEXT NOT NULL
  );

  CREATE TABLE exchange_accounts (
    exchange TEXT PRIMARY KEY,
    api_key_masked TEXT NOT NULL,
    base_url TEXT,
    updated_at TEXT NOT NULL
  );

  CREATE TABLE ui_tokens (
    digest TEXT PRIMARY KEY,
    expires_at INTEGER NOT NULL
  );
  `,
  /* 2 */ `
  -- "Orders today" is counted for the tray's status up to four times a second under load: without
  -- this index that count reads the whole journal, which only grows.
  CREATE INDEX orders_by_received ON orders (received_at);
  `,
  /* 3 */ `
  -- Each simulated fill, by the client order id of the leg it filled, written in the same transaction
  -- as the position it moved: after a crash a dry-run leg is looked up here, as a live one is on its
  -- exchange, and the same leg can never move a position twice.
  CREATE TABLE dry_run_fills (
    client_order_id TEXT PRIMARY KEY,
    strategy TEXT NOT NULL,
    exchange TEXT NOT NULL,
    symbol TEXT NOT NULL,
    amount TEXT NOT NULL,
    price TEXT NOT NULL,
    filled_at TEXT NOT NULL
  ) WITHOUT ROWID;
  `,
  /* 4 */ `
  -- The market each order was placed on (ccxt's unified symbol, or the dry-run symbol, and its type):
  -- crash recovery, follow-ups and Cancel look the order up there, whatever became of its strategy
  -- since (switched between spot and swap, renamed, deleted). Null for orders journaled before this
  -- step, which fall back to their strategy's market type.
  ALTER TABLE orders ADD COLUMN market_symbol TEXT;
  ALTER TABLE orders ADD COLUMN market_type TEXT CHECK (market_type IN ('swap', 'spot'));
  -- The request field an order's error is about (side, qty...), for the answer's error.field.
  ALTER TABLE orders ADD COLUMN error_field TEXT;
  `,
  /* 5 */ `
  -- The simulator now names a market by its exchange-id form whatever the request's spelling
  -- (dry-run-venue.ts simulatorSymbol): positions kept under a unified symbol move to that name, a
  -- dated future keeping its expiry (BTC/USDT:USDT-250328 -> BTCUSDT-250328). One that would collide
  -- with a position already kept under that name (only if both spellings were traded before) stays
  -- where it is rather than fail the upgrade.
  UPDATE OR IGNORE dry_run_positions
     SET symbol = replace(CASE WHEN instr(symbol, ':') > 0 THEN substr(symbol, 1, instr(symbol, ':') - 1) ELSE symbol END, '/', '')
               || CASE WHEN instr(symbol, ':') > 0 AND instr(substr(symbol, instr(symbol, ':')), '-') > 0
                       THEN substr(substr(symbol, instr(symbol, ':')), instr(substr(symbol, instr(symbol, ':')), '-'))
                       ELSE '' END
   WHERE instr(symbol, '/') > 0;
  `,
  /* 6 */ `
  -- The signature each signed order was accepted with (its SHA-256, as the spec's lowercase hex),
  -- written by the journal row's own INSERT: a signature is spent for good, across restarts and
  -- whatever the timestamp window is raised to later. Null for unsigned and manual orders.
  ALTER TABLE orders ADD COLUMN signature_digest TEXT;
  CREATE UNIQUE INDEX orders_by_signature ON orders (signature_digest) WHERE signature_digest IS NOT NULL;
  `,
  /* 7 */ `
  -- Opt-in per key: its signatures also cover the SHA-256 of the body (auth/body-signature.ts), so a
  -- captured signature cannot carry another order. Keys made before keep the spec's signature.
  ALTER TABLE api_keys ADD COLUMN sign_body INTEGER NOT NULL DEFAULT 0 CHECK (sign_body IN (0, 1));
  `,
  /* 8 */ `
  -- How each strategy shapes its orders when a request does not say, and what it allows (sizing unit,
  -- notional and leverage caps, margin mode, default stop-loss / take-profit, signal age, what to do when
  -- protection fails, a dry run's starting balance): one JSON object, read through the UI's own schema,
  -- every field with a default, so a strategy made before trades exactly as it did.
  ALTER TABLE strategies ADD COLUMN shaping_json TEXT NOT NULL DEFAULT '{}';
  `,
  /* 9 */ `
  -- How each order was shaped: its sizing (unit, input, what a percent was of, the reference price, the
  -- amount it came to) and its protection (stop-loss and take-profit prices, and how the exchange holds
  -- them), as the answer and the UI show them. Null for orders shaped by nothing.
  ALTER TABLE orders ADD COLUMN sizing_json TEXT;
  ALTER TABLE orders ADD COLUMN protection_json TEXT;
  -- What each leg is for: the order itself (entry), or a protective order placed once the entry filled
  -- (stop_loss, take_profit: reduce-only conditional orders triggering at trigger_price).
  ALTER TABLE order_legs ADD COLUMN role TEXT NOT NULL DEFAULT 'entry' CHECK (role IN ('entry', 'stop_loss', 'take_profit'));
  ALTER TABLE order_legs ADD COLUMN trigger_price TEXT;
  CREATE INDEX order_legs_protective ON order_legs (role, status) WHERE role != 'entry';
  `,
  /* 10 */ `
  -- The signal log: every request that reached POST /v1/order or the manual form's confirm, accepted
  -- (order_id: its journal row, or the first order of a duplicate) or refused (no journal row), with
  -- the answer's HTTP status and code. Never a signature, a secret or the body as sent: the key is
  -- masked and only the order's own fields are kept, capped. Rate-limited refusals are one row per
  -- sender and window with their count. Pruned after signalRetentionDays (store/signal-retention.ts).
  -- It replaces rejected_requests, whose rows move here as refusals from an unknown source.
  CREATE TABLE signals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'refused')),
    source TEXT CHECK (source IN ('api', 'tradingview', 'manual')),
    key_label TEXT,
    apikey_masked TEXT,
    remote_address TEXT,
    strategy TEXT,
    exchange TEXT,
    symbol TEXT,
    side TEXT,
    order_type TEXT,
    qty TEXT,
    price TEXT,
    status INTEGER NOT NULL,
    code TEXT NOT NULL,
    field TEXT,
    message TEXT,
    order_id INTEGER,
    count INTEGER NOT NULL DEFAULT 1 CHECK (count >= 1)
  );
  CREATE INDEX signals_by_at ON signals (at);
  CREATE INDEX signals_by_outcome ON signals (outcome, id);
  CREATE INDEX signals_by_strategy ON signals (strategy, id);
  INSERT INTO signals (at, outcome, apikey_masked, remote_address, status, code, field, message)
    SELECT at, 'refused', apikey_masked, remote_address, status, code, field, message FROM rejected_requests ORDER BY id;
  DROP TABLE rejected_requests;
  `,
  /* 11 */ `
  -- Several accounts per exchange: an account is named (exchange + account, e.g. bybit main, bybit sub2);
  -- the accounts set up before are 'default', their keychain entries where they were. Each order keeps the
  -- account it was placed on (recovery, follow-ups and Cancel go back there), and each strategy the
  -- accounts it may use per exchange, its default first (none named: 'default').
  CREATE TABLE exchange_accounts_named (
    exchange TEXT NOT NULL,
    account TEXT NOT NULL,
    api_key_masked TEXT NOT NULL,
    base_url TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (exchange, account)
  );
  INSERT INTO exchange_accounts_named (exchange, account, api_key_masked, base_url, updated_at)
    SELECT exchange, 'default', api_key_masked, base_url, updated_at FROM exchange_accounts;
  DROP TABLE exchange_accounts;
  ALTER TABLE exchange_accounts_named RENAME TO exchange_accounts;
  ALTER TABLE orders ADD COLUMN account TEXT NOT NULL DEFAULT 'default';
  ALTER TABLE strategies ADD COLUMN accounts_json TEXT NOT NULL DEFAULT '{}';
  `,
];
