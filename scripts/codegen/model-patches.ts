/**
 * Corrections every AWS SDK applies to a model before using it, where the model says one
 * thing and the service (or the SDKs' shared rules) another. Each patch is named after its
 * service and says why; the generator applies them after reading models/, so models/ stays
 * exactly what the importer took from botocore and the generated schema is what the wire
 * needs. A service with no entry here is used as modelled.
 */
import type { StratusModel } from "./clean-model.ts";

type Patch = (model: StratusModel) => StratusModel;

const PATCHES: Readonly<Record<string, Patch>> = {
  s3: dropBucketFromRequestUris,
};

export function patchModel(service: string, model: StratusModel): StratusModel {
  const patch = PATCHES[service];
  return patch ? patch(model) : model;
}

/**
 * S3's endpoint rule set decides where the bucket goes (the host for virtual-hosted
 * addressing, the first path segment for path style, neither for access points and ARNs),
 * so the `/{Bucket}` that the operations' request URIs start with would put it in the path
 * a second time. botocore and the v3 SDK remove it from the model for the same reason.
 */
function dropBucketFromRequestUris(model: StratusModel): StratusModel {
  const operations: Record<string, StratusModel["operations"][string]> = {};
  for (const [name, op] of Object.entries(model.operations)) {
    const http = op["http"];
    const uri = http && typeof http === "object" && !Array.isArray(http) ? http["requestUri"] : undefined;
    if (typeof uri === "string" && uri.startsWith("/{Bucket}")) {
      let rest = uri.slice("/{Bucket}".length);
      if (!rest.startsWith("/")) rest = `/${rest}`;
      operations[name] = { ...op, http: { ...(http as object), requestUri: rest } };
    } else {
      operations[name] = op;
    }
  }
  return { ...model, operations };
}
