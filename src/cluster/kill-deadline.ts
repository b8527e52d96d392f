/** Runs `onDeadline` once, at the deadline; a later `set` can only bring the deadline closer. */
export class KillDeadline {
  private timer?: NodeJS.Timeout;
  private at = Infinity;

  constructor(private readonly onDeadline: () => void) {}

  set(ms: number) {
    if (Date.now() + ms >= this.at) return;
    clearTimeout(this.timer);
    this.at = Date.now() + ms;
    this.timer = setTimeout(this.onDeadline, ms);
  }

  clear() {
    clearTimeout(this.timer);
    this.at = -Infinity;
  }
}
