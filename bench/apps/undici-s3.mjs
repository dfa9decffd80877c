// The floor: undici's request() with a SigV4 signature computed once by the bench before
// the clock starts (config.signed: method + path -> headers). No SDK does less per call.
import { Agent, request } from "undici";

export function create(config) {
  const dispatcher = new Agent();
  const headersFor = (method, key) => {
    const headers = config.signed[`${method} /${config.bucket}/${key}`];
    if (!headers) throw new Error(`no precomputed signature for ${method} ${key}`);
    return headers;
  };
  return {
    async getObject(key) {
      const { statusCode, body } = await request(`${config.endpoint}/${config.bucket}/${key}`, { headers: headersFor("GET", key), dispatcher });
      const bytes = await body.bytes();
      if (statusCode !== 200) throw new Error(`GetObject: HTTP ${statusCode}`);
      return bytes.byteLength;
    },
    async streamObject(key) {
      const { statusCode, body } = await request(`${config.endpoint}/${config.bucket}/${key}`, { headers: headersFor("GET", key), dispatcher });
      if (statusCode !== 200) throw new Error(`GetObject: HTTP ${statusCode}`);
      let bytes = 0;
      for await (const chunk of body) bytes += chunk.byteLength;
      return bytes;
    },
    async putObject(key, body, length) {
      const headers = { ...headersFor("PUT", key), "content-length": String(length) };
      const response = await request(`${config.endpoint}/${config.bucket}/${key}`, { method: "PUT", headers, body, dispatcher });
      await response.body.dump();
      if (response.statusCode !== 200) throw new Error(`PutObject: HTTP ${response.statusCode}`);
    },
    close: () => dispatcher.close(),
  };
}
