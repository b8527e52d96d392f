/** Counts unexpected worker exits over a sliding time window. */
export class CrashWindow {
  private exits: number[] = [];

  constructor(private readonly windowMs: number) {}

  /** Records one exit at `now`; returns how many fall within the window ending now. */
  record(now = Date.now()): number {
    this.exits = this.exits.filter((at) => now - at < this.windowMs);
    this.exits.push(now);
    return this.exits.length;
  }
}
