// RequestBody: which inputs become one, what each knows about its length, and the replay
// rule: replayable bodies (Blob, a factory) give the same bytes every read; a one-shot
// stream is claimed by its first pulled chunk and refuses a second reader, but stays
// sendable while nothing was pulled. Chunks come out as Uint8Array whatever the source
// yields, and a failing source is a RequestBodyError.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createReadStream, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { RequestBody, RequestBodyError, isStreamingBodyInput, toRequestBody } from "../../src/http/request-body.ts";

async function text(body: RequestBody): Promise<string> {
  return Buffer.from(await body.bytes()).toString("utf8");
}

/** A source yielding `parts` as they are (the type says bytes; a test may lie on purpose). */
async function* generate(...parts: unknown[]): AsyncGenerator<Uint8Array | string> {
  for (const part of parts) yield part as Uint8Array;
}

test("strings and bytes stay in memory; everything streaming becomes a RequestBody", () => {
  assert.equal(toRequestBody("abc", "input.Body"), "abc");
  const bytes = new Uint8Array([1, 2, 3]);
  assert.equal(toRequestBody(bytes, "input.Body"), bytes);
  assert.deepEqual(toRequestBody(new Uint16Array([0x0201]).buffer, "input.Body"), new Uint8Array([1, 2]));
  assert.deepEqual(toRequestBody(new DataView(new Uint8Array([9, 8, 7]).buffer, 1, 2), "input.Body"), new Uint8Array([8, 7]));
  for (const value of [new Blob(["x"]), Readable.from(["x"]), new ReadableStream(), generate("x")]) {
    assert.ok(isStreamingBodyInput(value));
    assert.ok(toRequestBody(value, "input.Body") instanceof RequestBody);
  }
  assert.throws(() => toRequestBody(42, "input.Body"), /input\.Body: expected bytes, a string, a Blob/);
  assert.equal(isStreamingBodyInput({}), false);
  assert.equal(isStreamingBodyInput("x"), false);
});

test("lengths: a Blob's size, a file stream's file (start/end honoured), a declared one, else unknown", async () => {
  const dir = mkdtempSync(join(tmpdir(), "stratus-body-"));
  try {
    const path = join(dir, "f.bin");
    writeFileSync(path, Buffer.alloc(1000, 7));
    assert.equal(RequestBody.fromBlob(new Blob([new Uint8Array(12)])).length, 12);
    const streams = [createReadStream(path), createReadStream(path, { start: 100, end: 199 }), createReadStream(path, { start: 900, end: 5000 })];
    assert.deepEqual(streams.map((stream) => RequestBody.fromStream(stream).length), [1000, 100, 100]);
    await Promise.all(streams.map((stream) => new Promise<void>((resolve) => stream.destroy().once("close", () => resolve()))));
    assert.equal(RequestBody.fromStream(Readable.from(["abc"])).length, undefined);
    assert.equal((toRequestBody(Readable.from(["abc"]), "input.Body", 3) as RequestBody).length, 3);
    // A declared length does not override one the body knows.
    assert.equal((toRequestBody(new Blob(["abcd"]), "input.Body", 3) as RequestBody).length, 4);
    assert.throws(() => RequestBody.fromStream(generate(), { length: -1 }), RequestBodyError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a Blob and a factory are replayable: every read gives the same bytes", async () => {
  const blob = RequestBody.fromBlob(new Blob(["hello ", "blob"]));
  assert.equal(blob.replayable, true);
  assert.equal(await text(blob), "hello blob");
  assert.equal(await text(blob), "hello blob");
  assert.equal(blob.canSend, true);

  let opened = 0;
  const factory = RequestBody.replayable(() => {
    opened++;
    return Readable.from([Buffer.from("from "), "a factory"]);
  });
  assert.equal(await text(factory), "from a factory");
  assert.equal(await text(factory), "from a factory");
  assert.equal(opened, 2);
});

test("a one-shot stream: sendable until its first chunk is pulled, then refused with a clear error", async () => {
  const body = RequestBody.fromStream(Readable.from(["once"]));
  assert.equal(body.replayable, false);
  // An iterator that is made and dropped, or returned before any pull, claims nothing.
  const untouched = body.chunks()[Symbol.asyncIterator]();
  await untouched.return?.();
  assert.equal(body.claimed, false);
  assert.equal(body.canSend, true);

  assert.equal(await text(body), "once");
  assert.equal(body.claimed, true);
  assert.equal(body.canSend, false);
  assert.throws(() => body.chunks(), (error: unknown) => {
    assert.ok(error instanceof RequestBodyError);
    assert.match(error.message, /already read: a stream is sent once/);
    assert.match(error.message, /RequestBody\.replayable/);
    return true;
  });

  // Two readers taken before either pulls: the second to pull is refused.
  const racing = RequestBody.fromStream(generate("a"));
  const a = racing.chunks()[Symbol.asyncIterator]();
  const b = racing.chunks()[Symbol.asyncIterator]();
  assert.deepEqual(Buffer.from((await a.next()).value as Uint8Array).toString(), "a");
  await assert.rejects(b.next(), RequestBodyError);
});

test("a body derived from a one-shot stream (aws-chunked framing, a declared length) shares its claim", async () => {
  const source = RequestBody.fromStream(generate("abc"));
  const framed = source.derive(async function* (chunks) {
    for await (const chunk of chunks) yield chunk;
  }, undefined);
  assert.equal(framed.replayable, false);
  assert.equal(framed.canSend, true);
  assert.equal(await text(framed), "abc");
  assert.equal(source.claimed, true);
  assert.equal(framed.canSend, false);
  assert.throws(() => framed.chunks(), RequestBodyError);
  const sized = RequestBody.fromBlob(new Blob(["xyz"])).withLength(3);
  assert.equal(sized.replayable, true);
  assert.equal(await text(sized), "xyz");
});

test("chunks are Uint8Arrays whatever the source yields; a bad chunk or a failing source is a RequestBodyError", async () => {
  const mixed = RequestBody.fromStream(generate("é", Buffer.from("b"), new Uint16Array([0x6463]), new Uint8Array([101]).buffer));
  const chunks: Uint8Array[] = [];
  for await (const chunk of mixed) chunks.push(chunk);
  assert.ok(chunks.every((chunk) => chunk instanceof Uint8Array));
  assert.equal(Buffer.concat(chunks).toString("utf8"), "ébcde");

  await assert.rejects(RequestBody.fromStream(generate("ok", 42)).bytes(), (error: unknown) => {
    assert.ok(error instanceof RequestBodyError);
    assert.match(error.message, /yielded a number; expected Uint8Array or string chunks/);
    return true;
  });

  const broken = new Readable({
    read() {
      this.destroy(new Error("disk on fire"));
    },
  });
  await assert.rejects(RequestBody.fromStream(broken).bytes(), (error: unknown) => {
    assert.ok(error instanceof RequestBodyError);
    assert.match(error.message, /reading the request body \(a Readable\) failed: disk on fire/);
    assert.equal((error.cause as Error).message, "disk on fire");
    return true;
  });
});

test("a web ReadableStream is read through its reader and cancelled when the reader stops early", async () => {
  let cancelled: unknown;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.enqueue(new TextEncoder().encode("tick "));
    },
    cancel(reason) {
      cancelled = reason ?? "cancelled";
    },
  });
  const body = RequestBody.fromStream(stream);
  let n = 0;
  for await (const chunk of body) {
    assert.equal(Buffer.from(chunk).toString(), "tick ");
    if (++n === 3) break;
  }
  assert.notEqual(cancelled, undefined);
  assert.equal(stream.locked, false);
  assert.equal(await text(RequestBody.fromStream(new Blob(["web"]).stream())), "web");
});

test("a Node Readable is read chunk by chunk as it pushed them, never joined into new buffers", async () => {
  // Four chunks pushed at once: the stream's own async iterator would hand them over as
  // one new 4 KiB Buffer (read() joins what is buffered); the body gives the same four.
  const pushed = [0, 1, 2, 3].map((i) => Buffer.alloc(1024, 97 + i));
  let pending = [...pushed];
  const stream = new Readable({
    read() {
      for (const chunk of pending) this.push(chunk);
      pending = [];
      this.push(null);
    },
  });
  const got: Uint8Array[] = [];
  for await (const chunk of RequestBody.fromStream(stream)) got.push(chunk);
  assert.equal(got.length, 4);
  got.forEach((chunk, i) => assert.equal(chunk, pushed[i], `chunk ${i} is the buffer the stream pushed`));
  assert.equal(stream.listenerCount("data"), 0, "no listener is left on the stream");
});

test("a Node Readable: stopping early destroys it; closing before its end or being destroyed already is a RequestBodyError", async () => {
  let n = 0;
  const endless = new Readable({
    read() {
      this.push(`tick ${n++} `);
    },
  });
  let seen = 0;
  for await (const _chunk of RequestBody.fromStream(endless)) if (++seen === 3) break;
  assert.equal(endless.destroyed, true, "the reader stopped, so the stream is destroyed, as its own iterator does");

  let pushedHalf = false;
  const cut = new Readable({
    read() {
      if (pushedHalf) return;
      pushedHalf = true;
      this.push("half");
      setImmediate(() => this.destroy()); // destroyed without an error, before its end
    },
  });
  await assert.rejects(RequestBody.fromStream(cut).bytes(), (error: unknown) => {
    assert.ok(error instanceof RequestBodyError);
    assert.match(error.message, /\(a Readable\) failed: the stream closed before its end/);
    return true;
  });

  const gone = Readable.from(["never read"]);
  gone.destroy();
  await assert.rejects(RequestBody.fromStream(gone).bytes(), /the stream was destroyed before it was read/);

  const done = Readable.from([]);
  for await (const _chunk of done) assert.fail("empty");
  assert.equal((await RequestBody.fromStream(done).bytes()).byteLength, 0, "a stream that already ended gives no bytes");
});

test("validation takes a stream only where one can go: a streaming blob, or a blob that is the whole payload", async () => {
  const { validateInput } = await import("../../src/validate/validate.ts");
  const blob = { type: "blob" } as const;
  const input = {
    type: "structure",
    name: "PutThing",
    payload: "Payload",
    members: {
      Payload: { target: blob },
      Streamed: { target: { type: "blob", streaming: true } },
      Other: { target: blob },
    },
  } as const;
  for (const value of [new Blob(["x"]), Readable.from(["x"]), new ReadableStream(), generate("x"), RequestBody.fromStream(generate("x"))]) {
    assert.deepEqual(validateInput(input, { Payload: value, Streamed: value }), []);
    const problems = validateInput(input, { Other: value });
    assert.equal(problems.length, 1);
    assert.match(problems[0]?.message ?? "", /expected bytes \(Uint8Array, ArrayBuffer or string\)/);
  }
  assert.match(validateInput(input, { Payload: 42 })[0]?.message ?? "", /expected bytes, a string, a Blob, a ReadableStream or an async iterable of bytes, got a number/);
});
