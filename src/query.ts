// `--query EXPR`: a JMESPath expression applied to what a command prints as
// JSON, as `aws --query` and `gh --jq` let CI pick fields without another
// tool. The implementation is the JMESPath community's (TypeScript,
// maintained, the spec's compliance suite); legacy literals (`running`
// without JSON quotes, as AWS's documentation writes them) are accepted.
// This module is loaded only when --query is given.
import { compile, type JSONValue, TreeInterpreter } from '@jmespath-community/jmespath';
import { UsageError } from './errors.js';

export interface Query {
  readonly expression: string;
  /** The expression's result for `value` (JSON in, JSON out). */
  apply(value: unknown): unknown;
}

/** Compiles `expression`; one that does not parse is a usage error (exit 2) with the implementation's message. */
export function parseQuery(expression: string): Query {
  let ast: ReturnType<typeof compile>;
  try {
    ast = compile(expression, { enable_legacy_literals: true });
  } catch (error) {
    throw new UsageError(`--query ${JSON.stringify(expression)}: ${reason(error)}`, {
      hint: "JMESPath, as in aws --query: e.g. [].id or [?status=='completed'].invoiceId",
    });
  }
  return {
    expression,
    apply(value) {
      try {
        return TreeInterpreter.search(ast, value as JSONValue);
      } catch (error) {
        // A function given the wrong type of value, and the like.
        throw new UsageError(`--query ${JSON.stringify(expression)}: ${reason(error)}`);
      }
    },
  };
}

function reason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text
    .replace(/^Syntax error: /, '')
    .replace(/\s+/g, ' ')
    .trim();
}
