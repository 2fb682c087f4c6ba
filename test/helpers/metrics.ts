/** The value of one sample of a Prometheus exposition, or undefined when absent. */
export function sample(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const body = line.slice(name.length);
    const matches = Object.entries(labels).every(([k, v]) => body.includes(`${k}="${v}"`));
    if (matches) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

/** One sample scraped from a gateway's metrics endpoint now; 0 when the series is absent. */
export async function scrapeSample(
  metricsUrl: string,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const res = await fetch(metricsUrl);
  return sample(await res.text(), name, labels) ?? 0;
}
