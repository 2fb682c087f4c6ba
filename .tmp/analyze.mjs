import { readFileSync } from 'node:fs';
const load = (file) => {
  const snap = JSON.parse(readFileSync(file, 'utf8'));
  const meta = snap.snapshot.meta; const nf = meta.node_fields.length; const ef = meta.edge_fields.length;
  const ntypes = meta.node_types[0]; const etypes = meta.edge_types[0];
  return { snap, nf, ef, ntypes, etypes, meta };
};
const A = load('/tmp/a.heapsnapshot'); const B = load('/tmp/b.heapsnapshot');
const idsA = new Set(); { const { snap, nf } = A; const idI = A.meta.node_fields.indexOf('id'); for (let i = 0; i < snap.nodes.length; i += nf) idsA.add(snap.nodes[i + idI]); }
const { snap, nf, ef, ntypes, etypes, meta } = B; const nodes = snap.nodes, edges = snap.edges, strings = snap.strings;
const F = (n) => meta.node_fields.indexOf(n); const tI = F('type'), nI = F('name'), idI = F('id'), sI = F('self_size'), ecI = F('edge_count');
const eT = meta.edge_fields.indexOf('type'), eN = meta.edge_fields.indexOf('name_or_index'), eTo = meta.edge_fields.indexOf('to_node');
const firstEdge = []; let e = 0; for (let i = 0; i < nodes.length; i += nf) { firstEdge.push(e); e += nodes[i + ecI] * ef; }
const N = Number(process.argv[2] ?? 1000);
const want = process.argv[3] ?? 'closure';
const groups = new Map();
for (let i = 0, k = 0; i < nodes.length; i += nf, k++) {
  if (idsA.has(nodes[i + idI])) continue;
  const type = ntypes[nodes[i + tI]]; const name = strings[nodes[i + nI]];
  if (type !== want && !(want === 'obj' && type === 'object')) continue;
  let label = `${type}:${name.slice(0, 40)}`;
  if (type === 'closure' || (type === 'object' && name === 'system / Context')) {
    // the variables of its context
    const names = [];
    for (let x = firstEdge[k]; x < firstEdge[k] + nodes[i + ecI] * ef; x += ef) {
      const et = etypes[edges[x + eT]];
      if (type === 'closure' && et === 'internal' && strings[edges[x + eN]] === 'context') {
        const to = edges[x + eTo] / nf; for (let y = firstEdge[to]; y < firstEdge[to] + nodes[to * nf + ecI] * ef; y += ef) if (etypes[edges[y + eT]] === 'context') names.push(strings[edges[y + eN]]);
      }
      if (type === 'object' && et === 'context') names.push(strings[edges[x + eN]]);
    }
    label += ' {' + names.slice(0, 8).join(',') + '}';
  }
  if (type === 'code' || type === 'concatenated string' || type === 'string' || type === 'array' || type === 'hidden') label = `${type}:${name.slice(0, 60)}`;
  const g = groups.get(label) ?? { n: 0, size: 0 }; g.n++; g.size += nodes[i + sI]; groups.set(label, g);
}
for (const [k, v] of [...groups].sort((a, b) => b[1].size - a[1].size).slice(0, 25)) console.log((v.size / N).toFixed(0).padStart(6), (v.n / N).toFixed(2).padStart(6), k);
