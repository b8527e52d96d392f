/**
 * A deadline that only ever comes closer: a later `set` that would move it further away is ignored,
 * and after `clear` nothing moves it. The drain of a serving process and the cluster primary's kill
 * deadline both follow this rule (a second signal can only hurry a drain).
 */
export class Deadline {
  private timer?: NodeJS.Timeout;
  private at = Infinity;

  constructor(private readonly onExpire: () => void) {}

  /** Expires `ms` from now unless it already expires sooner; true if it moved. */
  set(ms: number): boolean {
    const at = Date.now() + ms;
    if (at >= this.at) return false;
    clearTimeout(this.timer);
    this.at = at;
    // Never what keeps a process alive: a drain waits on its sockets, a primary on its workers.
    this.timer = setTimeout(this.onExpire, ms).unref();
    return true;
  }

  clear() {
    clearTimeout(this.timer);
    this.at = -Infinity;
  }
}
