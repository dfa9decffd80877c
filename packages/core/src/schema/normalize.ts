/**
 * The one reader of schema data. Protocols, validation and the generator's consumers ask
 * these functions, never the raw layout, for a member's shape or a structure's members, so
 * the layout can change in one place. Derived views are computed on first use and cached
 * per shape object (WeakMap), which keeps "interpret the schema" cheap after the first call.
 */
import type { Member, MemberLocation, Shape, ShapeRef, StructureShape } from "./types.ts";

/** Follows a thunk, if it is one. */
export function resolveShape<S extends Shape>(ref: ShapeRef<S>): S {
  return typeof ref === "function" ? ref() : ref;
}

/** The shape a member points at. */
export function memberShape(member: Member): Shape {
  return resolveShape(member.target);
}

export interface MemberView {
  /** The member's name in the model (the key callers use: `Bucket`, `Key`). */
  readonly name: string;
  readonly member: Member;
  readonly shape: Shape;
  /** `locationName` if set, else the member name. */
  readonly wireName: string;
  readonly location: MemberLocation | undefined;
}

const memberViews = new WeakMap<StructureShape, readonly MemberView[]>();

/** A structure's members with their shapes resolved, in model order. */
export function membersOf(structure: StructureShape): readonly MemberView[] {
  let views = memberViews.get(structure);
  if (!views) {
    views = Object.entries(structure.members).map(([name, member]) => ({
      name,
      member,
      shape: memberShape(member),
      wireName: member.locationName ?? name,
      location: member.location,
    }));
    memberViews.set(structure, views);
  }
  return views;
}

const locationViews = new WeakMap<StructureShape, ReadonlyMap<MemberLocation | "body", readonly MemberView[]>>();

/** A structure's members grouped by where they travel ("body" for no location). */
export function membersByLocation(structure: StructureShape): ReadonlyMap<MemberLocation | "body", readonly MemberView[]> {
  let grouped = locationViews.get(structure);
  if (!grouped) {
    const map = new Map<MemberLocation | "body", MemberView[]>();
    for (const view of membersOf(structure)) {
      const key = view.location ?? "body";
      const list = map.get(key) ?? [];
      list.push(view);
      map.set(key, list);
    }
    grouped = map;
    locationViews.set(structure, grouped);
  }
  return grouped;
}

const nameSets = new WeakMap<StructureShape, ReadonlySet<string>>();

/** A structure's member names, for "is this key a member?" on every call's input. */
export function memberNames(structure: StructureShape): ReadonlySet<string> {
  let names = nameSets.get(structure);
  if (!names) {
    names = new Set(membersOf(structure).map((view) => view.name));
    nameSets.set(structure, names);
  }
  return names;
}

const wireViews = new WeakMap<StructureShape, ReadonlyMap<string, MemberView>>();

/**
 * A structure's members by the key they travel under, so a reader can walk the keys the
 * data has instead of trying every member (DynamoDB's AttributeValue sets one of ten, and
 * a Query answer holds thousands of them).
 */
export function membersByWireName(structure: StructureShape): ReadonlyMap<string, MemberView> {
  let byWireName = wireViews.get(structure);
  if (!byWireName) {
    byWireName = new Map(membersOf(structure).map((view) => [view.wireName, view]));
    wireViews.set(structure, byWireName);
  }
  return byWireName;
}

const headerViews = new WeakMap<StructureShape, ReadonlyMap<string, MemberView>>();

/**
 * A structure's header-bound members by their lower-case header name: a response is read
 * by walking the few headers it has, not the dozens of members that could be there.
 */
export function membersByHeader(structure: StructureShape): ReadonlyMap<string, MemberView> {
  let byHeader = headerViews.get(structure);
  if (!byHeader) {
    byHeader = new Map((membersByLocation(structure).get("header") ?? []).map((view) => [view.wireName.toLowerCase(), view]));
    headerViews.set(structure, byHeader);
  }
  return byHeader;
}

/** The member that is the whole HTTP payload, if the structure names one. */
export function payloadMember(structure: StructureShape): MemberView | undefined {
  if (!structure.payload) return undefined;
  return membersOf(structure).find((view) => view.name === structure.payload);
}
