// Reads Prometheus text format back into samples, strictly: a line that is neither a comment nor `name{labels} value`
// throws, so a test scraping /metrics also proves the exposition is well-formed (escaped label values included).
export type TSample = { name: string; labels: Record<string, string>; value: number };

const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(,|$)/y;
const unescape = (text: string) => text.replace(/\\(.)/g, (_, char: string) => (char === "n" ? "\n" : char));

export const parseMetricsText = (text: string): TSample[] => {
  const samples: TSample[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a sample: ${JSON.stringify(line)}`);
    const labels: Record<string, string> = {};
    const body = match[2] ?? "";
    LABEL.lastIndex = 0;
    while (LABEL.lastIndex < body.length) {
      const label = LABEL.exec(body);
      if (!label) throw new Error(`bad labels: ${JSON.stringify(line)}`);
      labels[label[1]!] = unescape(label[2]!);
    }
    const value = match[3] === "+Inf" ? Infinity : match[3] === "-Inf" ? -Infinity : Number(match[3]);
    if (Number.isNaN(value) && match[3]?.toLowerCase() !== "nan") throw new Error(`bad value: ${JSON.stringify(line)}`);
    samples.push({ name: match[1]!, labels, value });
  }
  return samples;
};

// The value of the one sample with this name whose labels include `labels` (summed when several match).
export const sampleValue = (samples: TSample[], name: string, labels: Record<string, string> = {}): number =>
  samples.filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value)).reduce((sum, sample) => sum + sample.value, 0);
