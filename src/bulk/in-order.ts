/** An item handed out by `InOrder.start`, to pass to `finish` once its work is done. */
export interface InOrderItem<T> {
  /** What the item came to; filled while it runs, applied in its turn. */
  readonly payload: T;
}

interface Entry<T> extends InOrderItem<T> {
  done: boolean;
}

/**
 * Work handed out in order and finished in any order, whose outcomes are taken in order: each
 * item's payload is applied once it and every item before it finished. Work that is done as it
 * starts (`now`) joins the last finished item still waiting, so memory stays flat however many
 * pile up behind one slow item.
 */
export class InOrder<T> {
  readonly #queue: Array<Entry<T>> = [];
  readonly #make: () => T;
  readonly #apply: (payload: T) => void;

  /** `make` gives an empty payload; `apply` takes a finished one, in order. */
  constructor(make: () => T, apply: (payload: T) => void) {
    this.#make = make;
    this.#apply = apply;
  }

  /** The next item, in order. */
  start(): InOrderItem<T> {
    const entry: Entry<T> = { done: false, payload: this.#make() };
    this.#queue.push(entry);
    return entry;
  }

  /** The item's work is done: it and the finished items after it are applied once it is their turn. */
  finish(item: InOrderItem<T>): void {
    (item as Entry<T>).done = true;
    while (this.#queue[0]?.done) this.#apply((this.#queue.shift() as Entry<T>).payload);
  }

  /** Work done as it starts: `fill` adds it to a payload, applied in its turn. */
  now(fill: (payload: T) => void): void {
    const last = this.#queue.at(-1);
    if (last?.done) return fill(last.payload);
    const item = this.start();
    fill(item.payload);
    this.finish(item);
  }
}
