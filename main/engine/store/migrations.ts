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
  /* 12 */ `
  -- The dry-run simulator behaves like an exchange account (exchanges/dry-run-simulator.ts).
  -- Positions are kept per market type too (a strategy switched from swap to spot must not read its
  -- perpetual as coins held), with what their margin, fees and PnL are counted from: the settle
  -- currency, the contract's kind and size, the leverage set for the market, what was realised and paid.
  CREATE TABLE dry_run_positions_v10 (
    strategy TEXT NOT NULL,
    exchange TEXT NOT NULL,
    market_type TEXT NOT NULL CHECK (market_type IN ('swap', 'spot')),
    symbol TEXT NOT NULL,
    qty TEXT NOT NULL,
    entry_price TEXT,
    settle TEXT,
    contract TEXT CHECK (contract IN ('linear', 'inverse')),
    contract_size TEXT NOT NULL DEFAULT '1',
    leverage TEXT,
    realized_pnl TEXT NOT NULL DEFAULT '0',
    fees TEXT NOT NULL DEFAULT '0',
    updated_at TEXT NOT NULL,
    PRIMARY KEY (strategy, exchange, market_type, symbol)
  );
  INSERT INTO dry_run_positions_v10 (strategy, exchange, market_type, symbol, qty, entry_price, updated_at)
    SELECT p.strategy, p.exchange, coalesce((SELECT s.market_type FROM strategies s WHERE s.name = p.strategy), 'swap'), p.symbol, p.qty, p.entry_price, p.updated_at
      FROM dry_run_positions p;
  DROP TABLE dry_run_positions;
  ALTER TABLE dry_run_positions_v10 RENAME TO dry_run_positions;

  -- Each simulated account's money per currency: what it started with (the strategy's dryRunBalance,
  -- or its worth in an inverse contract's coin, fixed when first used; starting_value is that worth,
  -- so a changed dryRunBalance scales it), and what fills moved since (realised PnL, fees, spot trades).
  CREATE TABLE dry_run_balances (
    strategy TEXT NOT NULL,
    exchange TEXT NOT NULL,
    currency TEXT NOT NULL,
    starting TEXT,
    starting_value TEXT,
    moved TEXT NOT NULL DEFAULT '0',
    realized_pnl TEXT NOT NULL DEFAULT '0',
    fees TEXT NOT NULL DEFAULT '0',
    updated_at TEXT NOT NULL,
    PRIMARY KEY (strategy, exchange, currency)
  );

  -- Every order the simulator took, by client order id: Market orders (filled at once), Limits resting
  -- until the price crosses them, and protective stop-loss / take-profit orders waiting for their
  -- trigger. An open one survives a restart and is watched again; each keeps the market's terms it
  -- fills on (fee rates, contract), so it can fill without the market list.
  CREATE TABLE dry_run_orders (
    client_order_id TEXT PRIMARY KEY,
    strategy TEXT NOT NULL,
    exchange TEXT NOT NULL,
    market_type TEXT NOT NULL CHECK (market_type IN ('swap', 'spot')),
    symbol TEXT NOT NULL,
    market_symbol TEXT,
    side TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
    kind TEXT NOT NULL CHECK (kind IN ('market', 'limit', 'stop_loss', 'take_profit')),
    amount TEXT NOT NULL,
    price TEXT,
    trigger_price TEXT,
    reduce_only INTEGER NOT NULL CHECK (reduce_only IN (0, 1)),
    leverage TEXT NOT NULL DEFAULT '1',
    terms_json TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'filled', 'cancelled')),
    filled TEXT NOT NULL DEFAULT '0',
    average_price TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX dry_run_orders_open ON dry_run_orders (exchange, market_type, symbol) WHERE status = 'open';

  -- A fill's fee (and its currency), the PnL it realised and whether it made or took liquidity.
  ALTER TABLE dry_run_fills ADD COLUMN market_type TEXT;
  ALTER TABLE dry_run_fills ADD COLUMN fee TEXT;
  ALTER TABLE dry_run_fills ADD COLUMN fee_currency TEXT;
  ALTER TABLE dry_run_fills ADD COLUMN realized_pnl TEXT;
  ALTER TABLE dry_run_fills ADD COLUMN liquidity TEXT CHECK (liquidity IN ('maker', 'taker'));

  -- A simulated account belongs to its strategy: renamed with it; removed with it, its orders still
  -- open cancelled (their journal legs then read cancelled, not lost).
  CREATE TRIGGER dry_run_follow_strategy_rename AFTER UPDATE OF name ON strategies WHEN OLD.name != NEW.name
  BEGIN
    UPDATE dry_run_positions SET strategy = NEW.name WHERE strategy = OLD.name;
    UPDATE dry_run_balances SET strategy = NEW.name WHERE strategy = OLD.name;
    UPDATE dry_run_orders SET strategy = NEW.name WHERE strategy = OLD.name;
  END;
  CREATE TRIGGER dry_run_follow_strategy_removal AFTER DELETE ON strategies
  BEGIN
    DELETE FROM dry_run_balances WHERE strategy = OLD.name;
    UPDATE dry_run_orders SET status = 'cancelled', updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE strategy = OLD.name AND status = 'open';
  END;
  `,
  /* 13 */ `
  -- PnL from fills: each leg keeps the exchange's cumulative fee, and each fill is a row of its own, for
  -- the strategy whose order it was (the client order id carries the journal id: attribution is exact).
  -- A fill first comes from the order's own filled amount and average price (source 'order'); where the
  -- exchange lists the order's trades, they replace it (source 'trade', with their ids and fees).
  ALTER TABLE order_legs ADD COLUMN fee TEXT;
  ALTER TABLE order_legs ADD COLUMN fee_currency TEXT;
  CREATE TABLE fills (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders(id),
    leg INTEGER NOT NULL,
    strategy TEXT NOT NULL,
    exchange TEXT NOT NULL,
    account TEXT NOT NULL,
    dry_run INTEGER NOT NULL,
    market_symbol TEXT NOT NULL,
    market_type TEXT NOT NULL,
    side TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
    amount TEXT NOT NULL,
    price TEXT,
    fee TEXT,
    fee_currency TEXT,
    source TEXT NOT NULL CHECK (source IN ('order', 'trade')),
    trade_id TEXT,
    at TEXT NOT NULL
  );
  CREATE INDEX fills_by_strategy ON fills (strategy, at);
  CREATE INDEX fills_by_leg ON fills (order_id, leg);
  CREATE INDEX fills_by_account ON fills (exchange, account, market_symbol, at);
  -- what filled before fills were kept, from each leg's own amount and average price
  INSERT INTO fills (order_id, leg, strategy, exchange, account, dry_run, market_symbol, market_type, side, amount, price, source, at)
    SELECT l.order_id, l.leg, o.strategy, o.exchange, o.account, o.dry_run, COALESCE(o.market_symbol, o.symbol), COALESCE(o.market_type, 'swap'),
           l.side, l.filled, l.average_price, 'order', COALESCE(l.answered_at, o.updated_at)
      FROM order_legs l JOIN orders o ON o.id = l.order_id
     WHERE CAST(l.filled AS REAL) > 0
     ORDER BY l.order_id, l.leg;
  `,
  /* 14 */ `
  -- A protective leg apisify decided to cancel (its position ended, its sibling filled): kept until the
  -- exchange says it ended, so a cancel that failed is tried again, after a restart too.
  ALTER TABLE order_legs ADD COLUMN cancel_wanted_at TEXT;
  `,
  /* 15 */ `
  -- The signed position each order's plan started from (decimal text), written with its plan; null
  -- where the order read none (a plain Buy or Sell), in hedge mode (a fill nets against neither side)
  -- and for orders journaled before it was kept. A fill learnt later, or after a restart, is weighed
  -- against it: whether it ended or reversed that position, and how much of it opened the one the
  -- order's protection guards.
  ALTER TABLE orders ADD COLUMN position_before TEXT;
  `,
  /* 16 */ `
  -- The protective legs in force (a stop or target armed, or on its way) are read before every plain
  -- Buy or Sell and after every fill: that must not grow with the journal. This index holds those
  -- legs alone, in journal order (protective-legs.ts names it); the (role, status) one, passed over
  -- by the planner for a walk through every leg ever journaled, goes.
  DROP INDEX order_legs_protective;
  CREATE INDEX order_legs_protective_in_force ON order_legs (order_id, leg)
    WHERE role != 'entry' AND status IN ('received', 'submitted', 'open', 'partially_filled');
  -- A strategy's orders newest first: the orders list and CSV filtered by strategy walk only its
  -- own, and the Strategies list (reloaded while orders stream in) counts its orders today and reads
  -- its last from here, not from a walk through the journal (50 ms at 100,000 orders, on the thread
  -- that takes orders).
  CREATE INDEX orders_by_strategy ON orders (strategy, id);
  `,
];
