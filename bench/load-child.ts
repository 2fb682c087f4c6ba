/**
 * autocannon in a process of its own, for `--pin` (bench/pinning.ts): started pinned to the load's
 * CPU while the measured servers stay on theirs. `node --import tsx bench/load-child.ts '<json>'`
 * where the JSON is autocannon's options; prints the result as one JSON line.
 */
import autocannon from 'autocannon';

const options = JSON.parse(process.argv[2] ?? '{}') as autocannon.Options;
const result = await autocannon(options);
process.stdout.write(`${JSON.stringify(result)}\n`);
