import type { TCfgSection } from "./parse-authproxy-cfg";

// Reads a section's options and remembers which were used, so everything left over can be reported as not mapped.
export type TCfgReader = {
  get: (key: string) => string | undefined;
  bool: (key: string) => boolean | undefined;
  int: (key: string) => number | undefined;
  list: (key: string) => string[];
  // radius_ip_1, radius_ip_2, …: the numbers present, in order
  numbered: (prefix: string) => number[];
  unused: () => string[];
};

export const readCfgSection = (section: TCfgSection): TCfgReader => {
  const used = new Set<string>();
  const get = (key: string) => {
    used.add(key);
    const value = section.values.get(key)?.trim();
    return value === "" ? undefined : value;
  };
  return {
    get,
    bool: (key) => {
      const value = get(key)?.toLowerCase();
      return value === undefined ? undefined : ["true", "yes", "1", "on"].includes(value);
    },
    int: (key) => {
      const value = get(key);
      return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
    },
    list: (key) => (get(key) ?? "").split(",").map((item) => item.trim()).filter(Boolean),
    numbered: (prefix) =>
      [...section.values.keys()]
        .map((key) => new RegExp(`^${prefix}(\\d+)$`).exec(key)?.[1])
        .filter((number): number is string => number !== undefined)
        .map(Number)
        .sort((a, b) => a - b),
    unused: () => [...section.values.keys()].filter((key) => !used.has(key)),
  };
};
