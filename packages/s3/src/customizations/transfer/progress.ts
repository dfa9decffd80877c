/**
 * Progress events for a transfer: `loaded` only grows, `total` appears once known (a body
 * of unknown length: when it ended), and the last event of a transfer that succeeded has
 * loaded === total. A listener that throws stops the transfer: its error is kept here and
 * the transfer checks `failure` between steps (a throw inside a part's completion would
 * otherwise be mistaken for that part failing). A throw from the final event, sent once the
 * transfer succeeded, changes nothing: the object is there (or the file is written).
 */
import type { UploadProgress } from "./options.ts";

export class ProgressReporter {
  readonly #listener: ((event: UploadProgress) => void) | undefined;
  #loaded = 0;
  #total: number | undefined;
  #lastSent: UploadProgress | undefined;
  /** What the listener threw, if it did. */
  failure: unknown;

  constructor(listener: ((event: UploadProgress) => void) | undefined, total: number | undefined) {
    this.#listener = listener;
    this.#total = total;
  }

  get loaded(): number {
    return this.#loaded;
  }

  /** The size became known (the body ended). */
  set total(total: number) {
    this.#total = total;
  }

  /** `bytes` more were transferred (by `part`, for an upload's part). */
  add(bytes: number, part?: number): void {
    this.#loaded += bytes;
    this.#send(part === undefined ? { loaded: this.#loaded, total: this.#total } : { loaded: this.#loaded, total: this.#total, part });
  }

  /** The transfer succeeded: says loaded === total unless the last event already did. */
  finish(total: number): void {
    this.#total = total;
    this.#loaded = total;
    const last = this.#lastSent;
    if (last !== undefined && last.loaded === total && last.total === total) return;
    this.#send({ loaded: total, total });
  }

  #send(event: UploadProgress): void {
    if (this.#listener === undefined || this.failure !== undefined) return;
    this.#lastSent = event;
    try {
      this.#listener(event);
    } catch (error) {
      this.failure = error ?? new Error("onProgress threw");
    }
  }
}
