/**
 * The runtime schema: its layout (types.ts), its one reader (normalize.ts), the builder
 * from botocore-layout models (from-botocore.ts) and the reader of generated packages'
 * JSON-written shapes (from-json.ts).
 */
export type * from "./types.ts";
export { operationFromJson, shapeFromJson } from "./from-json.ts";
export { memberNames, membersByHeader, memberShape, membersByLocation, membersOf, payloadMember, resolveShape, type MemberView } from "./normalize.ts";
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
