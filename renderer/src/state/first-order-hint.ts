/**
 * The empty state's "send your first order": a curl (with openssl for the signature) and the spec's
 * Python sample, pointed at this server. The strategy is the one every new install has (dry-run).
 */
export interface HintOptions {
  url: string;
  strategy?: string;
}

export function curlHint({ url, strategy = 'test_strategy' }: HintOptions): string {
  const endpoint = `${url.replace(/\/+$/, '')}/v1/order`;
  return [
    "KEY='<your apisify API key>'; SECRET='<its secret>'",
    // Milliseconds: a whole-second stamp gives two runs in one second the same signature, and the second is a replay (409).
    `URL='${endpoint}'; TS=$(perl -MTime::HiRes=time -e 'printf "%d", time * 1000')`,
    `SIGN=$(printf '%s' "\${TS}POST\${URL}" | openssl dgst -sha256 -hmac "$SECRET" | sed 's/^.* //')`,
    `curl -s "$URL" -H 'Content-Type: application/json' -d '{"strategy":"${strategy}","exchange":"bybit_testnet","order_type":"Market","qty":1,"side":"Buy","symbol":"BTCUSD","price":10000,"apikey":"'"$KEY"'","timestamp":'"$TS"',"sign":"'"$SIGN"'"}'`,
  ].join('\n');
}

export function pythonHint({ url, strategy = 'test_strategy' }: HintOptions): string {
  const endpoint = `${url.replace(/\/+$/, '')}/v1/order`;
  return [
    'import hashlib, hmac, json, time, urllib.request',
    "apikey, secret = '<your apisify API key>', '<its secret>'",
    `url = '${endpoint}'`,
    'ts = int(time.time() * 1000)',
    "sign = hmac.new(secret.encode(), f'{ts}POST{url}'.encode(), hashlib.sha256).hexdigest()",
    `body = {"strategy": "${strategy}", "exchange": "bybit_testnet", "order_type": "Market", "qty": 1,`,
    '        "side": "Buy", "symbol": "BTCUSD", "price": 10000, "apikey": apikey, "timestamp": ts, "sign": sign}',
    "req = urllib.request.Request(url, json.dumps(body).encode(), {'Content-Type': 'application/json'})",
    'try:',
    '    print(urllib.request.urlopen(req).read().decode())',
    'except urllib.error.HTTPError as error:',
    '    print(error.code, error.read().decode())',
  ].join('\n');
}
