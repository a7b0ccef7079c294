import radius from "radius";
import path from "node:path";
import { fileURLToPath } from "node:url";

// Vendor dictionaries the `radius` package lacks; names are what admins type in a pass-through allow-list.
// Through the project root ("../.." from lib/radius/ and from the worker bundle in dist/worker/), so both find them.
const DICTIONARY_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../lib/radius/dictionaries");
const VENDOR_FILES = ["dictionary.cisco", "dictionary.cisco-asa", "dictionary.microsoft"];
export const KNOWN_VENDORS = [9, 3076, 311] as const;

let loaded = false;

export const ensureDictionaries = (): void => {
  if (loaded) return;
  for (const file of VENDOR_FILES) radius.add_dictionary(path.join(DICTIONARY_DIR, file));
  radius.load_dictionaries();
  loaded = true;
};

export type TAttributeKey = { type: number; vendorId?: number; vendorType?: number };

const nameCache = new Map<string, string>();

// Unknown attributes get a stable synthetic name so an allow-list can still name them.
export const attributeName = (key: TAttributeKey): string => {
  ensureDictionaries();
  const cacheKey = `${key.type}:${key.vendorId ?? ""}:${key.vendorType ?? ""}`;
  const cached = nameCache.get(cacheKey);
  if (cached) return cached;
  let name: string | undefined;
  if (key.vendorId !== undefined && key.vendorType !== undefined) {
    name = radius.attr_id_to_name(key.vendorType, key.vendorId) ?? `Vendor-${key.vendorId}-Attr-${key.vendorType}`;
  } else {
    name = radius.attr_id_to_name(key.type) ?? `Attr-${key.type}`;
  }
  nameCache.set(cacheKey, name);
  return name;
};

// "Cisco-AVPair" -> { type: 26, vendorId: 9, vendorType: 1 }; undefined when no dictionary knows the name.
export const attributeKeyByName = (name: string): TAttributeKey | undefined => {
  ensureDictionaries();
  const standard = radius.attr_name_to_id(name);
  if (standard !== undefined) return { type: Number(standard) };
  for (const vendorId of KNOWN_VENDORS) {
    const id = radius.attr_name_to_id(name, vendorId);
    if (id !== undefined) return { type: 26, vendorId, vendorType: Number(id) };
  }
  const synthetic = name.match(/^Vendor-(\d+)-Attr-(\d+)$/) ?? undefined;
  if (synthetic) return { type: 26, vendorId: Number(synthetic[1]), vendorType: Number(synthetic[2]) };
  const plain = name.match(/^Attr-(\d+)$/);
  return plain ? { type: Number(plain[1]) } : undefined;
};
