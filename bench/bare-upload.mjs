// The baseline of bench/restock.mjs: the least a program can do to upload a
// file of serials — read it, split it, send batches one after another with
// undici — with no checking, journal, reconciling or files.
//   node bench/bare-upload.mjs <baseUrl> <key> <warehouseId> <file> <batch>
import { readFileSync } from 'node:fs';
import { request } from 'undici';

const [base, key, id, file, batchArg] = process.argv.slice(2);
const batch = Number(batchArg);
const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
const url = `${base}/warehouses/${id}/stock`;
const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
let added = 0;
for (let i = 0; i < lines.length; i += batch) {
  const body = JSON.stringify({
    stock: lines.slice(i, i + batch).join('\n'),
    removeDuplicates: false,
  });
  const res = await request(url, { method: 'POST', headers, body });
  const answer = await res.body.json();
  if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
  added += answer.added;
}
process.stdout.write(`${added}\n`);
