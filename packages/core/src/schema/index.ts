/**
 * The runtime schema: its layout (types.ts), its one reader (normalize.ts) and the builder
 * from botocore-layout models (from-botocore.ts).
 */
export type * from "./types.ts";
export { memberShape, membersByLocation, membersOf, payloadMember, resolveShape, type MemberView } from "./normalize.ts";
export {
  ModelError,
  operationFromModel,
  schemaFromBotocore,
  serviceFromMetadata,
  ShapeTable,
  type BotocoreJson,
  type BotocoreModel,
  type SchemaFromModel,
} from "./from-botocore.ts";
