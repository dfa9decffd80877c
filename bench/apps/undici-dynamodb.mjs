// The floor for DynamoDB: a POST with a fixed JSON body and a precomputed signature
// (config.signed["POST /"]); the answer is parsed with JSON.parse and nothing else.
import { Agent, request } from "undici";

export function create(config) {
  const dispatcher = new Agent();
  const body = JSON.stringify({ TableName: config.table, Key: { id: { S: "user-1" } } });
  const headers = config.signed["POST /"];
  return {
    async getItem() {
      const response = await request(`${config.endpoint}/`, { method: "POST", headers, body, dispatcher });
      const { Item } = await response.body.json();
      if (response.statusCode !== 200) throw new Error(`GetItem: HTTP ${response.statusCode}`);
      return Item;
    },
    close: () => dispatcher.close(),
  };
}
