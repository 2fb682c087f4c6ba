import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assetFingerprint, loadAssets, prebuiltRoot } from './assets.js';
import { ENCODINGS, compress, prebuiltName } from './compression.js';

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * Writes every playground asset brotli- and gzip-compressed under `<root>/<fingerprint>/`, where
 * the gateway serves them from (src/playground/compression.ts). Run by the build. Copies already
 * there are kept (the fingerprint names their contents), so a second build costs nothing here;
 * other fingerprints' directories are removed. Returns the files written.
 */
export async function precompressPlayground(root = prebuiltRoot()): Promise<string[]> {
  const assets = loadAssets();
  const fingerprint = assetFingerprint(assets);
  const dir = join(root, fingerprint);
  await mkdir(dir, { recursive: true });
  for (const entry of await readdir(root)) {
    if (entry !== fingerprint) await rm(join(root, entry), { recursive: true, force: true });
  }
  const jobs = Object.entries(assets).flatMap(([name, asset]) =>
    ENCODINGS.map(async (encoding) => {
      const target = join(dir, prebuiltName(name, encoding));
      if (await exists(target)) return undefined;
      const body = await compress(await readFile(asset.file), encoding);
      // Written aside and renamed: a gateway starting meanwhile never reads half a file.
      const partial = `${target}.${process.pid}.partial`;
      await writeFile(partial, body);
      await rename(partial, target);
      return target;
    }),
  );
  return (await Promise.all(jobs)).filter((t): t is string => t !== undefined);
}
