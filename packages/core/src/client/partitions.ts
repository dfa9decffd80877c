/**
 * The partitions document (`partitions.json`: which regions exist, their DNS suffixes,
 * FIPS/dual-stack support) that the endpoint rules' `aws.partition` reads. A client's
 * `partitions` option supplies it; otherwise the core's generated copy is used, imported
 * on the first call that needs it so that loading the core stays cheap.
 */
import type { PartitionsData } from "../endpoints/index.ts";

let builtIn: Promise<PartitionsData> | undefined;

export function defaultPartitions(): Promise<PartitionsData> {
  builtIn ??= import("../endpoints/partitions-data.ts").then((module) => module.partitionsData);
  return builtIn;
}
