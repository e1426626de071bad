import { CodeBlock } from '../../components/CodeBlock.js';
import { Link } from '../../components/Link.js';
import { useEngine } from '../../engine/EngineProvider.js';
import { curlHint, pythonHint } from '../../state/first-order-hint.js';

/** No order yet: how a new user sends the first one. */
export function EmptyOrders() {
  const { status } = useEngine();
  const url = status?.url ?? 'http://127.0.0.1:8470';
  return (
    <section className="empty" data-testid="orders-empty">
      <h2>No orders yet</h2>
      <p>Orders appear here the moment they arrive, from bots, TradingView alerts and the manual order form.</p>
      <ol className="steps">
        <li>
          Create an API key on <Link to="keys">API keys</Link> (the secret is shown once: keep it).
        </li>
        <li>
          Post a signed order to <code className="num">{url}/v1/order</code>. The strategy <code>test_strategy</code> exists from the start and is{' '}
          <strong>dry-run</strong>: nothing reaches an exchange.
        </li>
        <li>
          Or place one by hand: <Link to="manual">Manual order</Link>. For TradingView alerts see <Link to="tradingview">TradingView</Link>.
        </li>
      </ol>
      <div className="hint-grid">
        <div>
          <h3>curl (with openssl for the signature)</h3>
          <CodeBlock text={curlHint({ url })} testId="hint-curl" />
        </div>
        <div>
          <h3>Python</h3>
          <CodeBlock text={pythonHint({ url })} testId="hint-python" />
        </div>
      </div>
    </section>
  );
}
