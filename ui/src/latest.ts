// Overlapping requests of one kind (a list reloaded while the last reload
// is still out): only the latest may land, an older answer is dropped.

/** One kind of request whose latest answer wins. */
export class Latest {
  private issued = 0;

  /** Starts a request; the returned check says whether it is still the latest. */
  start(): () => boolean {
    const mine = ++this.issued;
    return () => mine === this.issued;
  }
}
