// The answer to a stock add (POST …/stock). It decides what a restock
// records as stored, so every field is required: an answer without them is
// not guessed at.
import { defineRecord, type RecordOf } from './define.js';

export const STOCK_ANSWER = defineRecord({
  name: 'stock add answer',
  plural: 'stock add answers',
  // added: serials stored by this call; total: serials in the pool after it;
  // truncated: lines past the per-request limit were NOT stored; capped: the
  // pool reached its maximum size, lines past it were NOT stored.
  schema: { added: 'count!', total: 'count!', truncated: 'boolean!', capped: 'boolean!' },
  fields: ['added', 'total', 'truncated', 'capped'],
});
export type StockAnswer = RecordOf<typeof STOCK_ANSWER.schema>;
