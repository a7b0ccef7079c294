export type TCfgSection = { name: string; line: number; values: Map<string, string> };

// authproxy.cfg is read by Python's configparser: [section] headers, `key=value` or `key: value`, whole-line
// comments with ; or #, indented lines continuing the previous value, keys case-insensitive. What configparser would
// refuse (a key or section twice) is reported and read leniently, the later value winning.
export const parseAuthproxyCfg = (text: string): { sections: TCfgSection[]; problems: string[] } => {
  const sections: TCfgSection[] = [];
  const problems: string[] = [];
  let current: TCfgSection | undefined;
  let lastKey: string | undefined;
  text.replace(/^\uFEFF/, "").split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    if (/^\s*([;#]|$)/.test(raw)) return;
    if (/^\s/.test(raw) && current && lastKey) {
      current.values.set(lastKey, `${current.values.get(lastKey) ?? ""}\n${raw.trim()}`);
      return;
    }
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(raw);
    if (header?.[1]) {
      const name = header[1].trim();
      const previous = sections.find((section) => section.name === name);
      if (previous) problems.push(`line ${line}: section [${name}] appears twice (the Duo proxy refuses that); read as one`);
      current = previous ?? { name, line, values: new Map() };
      if (!previous) sections.push(current);
      lastKey = undefined;
      return;
    }
    const pair = /^\s*([^=:]+?)\s*[=:]\s*(.*?)\s*$/.exec(raw);
    if (!pair?.[1] || !current) {
      problems.push(`line ${line}: not understood${current ? "" : " (outside any [section])"}`);
      return;
    }
    const key = pair[1].toLowerCase();
    if (current.values.has(key)) problems.push(`line ${line}: [${current.name}] ${key} is set twice; the later value is used`);
    current.values.set(key, pair[2] ?? "");
    lastKey = key;
  });
  return { sections, problems };
};
