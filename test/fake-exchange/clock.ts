// The fake exchange's clock: the machine's, plus an offset a test sets to make the exchange's time
// differ from the client's (every timestamp the fake prints or checks reads it).

export class FakeClock {
  offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }
}
