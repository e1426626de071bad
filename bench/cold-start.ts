import { startServe } from './apisify-cli.js';
import { median } from './stats.js';

export interface ColdStart {
  /** Each start: spawn to the listening line, and to the first HTTP answer. */
  starts: { listeningMs: number; firstAnswerMs: number }[];
  medianListeningMs: number;
  medianFirstAnswerMs: number;
}

/** Starts `apisify serve` on the prepared data dir `times` times, one after another, and stops each. */
export async function measureColdStart(dataDir: string, times: number): Promise<ColdStart> {
  const starts: ColdStart['starts'] = [];
  for (let run = 0; run < times; run++) {
    const started = performance.now();
    const serve = await startServe(dataDir);
    // Any answer will do: the server is up and routing.
    await fetch(`${serve.url}/v1/order`).then((response) => response.arrayBuffer());
    starts.push({ listeningMs: serve.listeningAfterMs, firstAnswerMs: performance.now() - started });
    await serve.stop();
  }
  return {
    starts,
    medianListeningMs: median(starts.map((start) => start.listeningMs)),
    medianFirstAnswerMs: median(starts.map((start) => start.firstAnswerMs)),
  };
}
