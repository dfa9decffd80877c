/**
 * What an operation's event-stream output member is to the caller: an async iterable of the
 * union's events, read once, that gives its connection back however the reading ends.
 *
 *   for await (const event of output.stream) {
 *     if (event.contentBlockDelta) …            // one member set per event
 *     if (done) break;                          // releases the connection
 *   }                                           // a modelled exception event is thrown here
 *
 * Or `await using out = await client.converseStream(…)` / `stream.cancel()` to drop a
 * stream without reading it.
 */
export interface EventStream<T> extends AsyncIterable<T>, AsyncDisposable {
  /** Stops reading and releases the connection. Harmless after the stream ended. */
  cancel(reason?: unknown): Promise<void>;
}
