// The part of juju's wait-for query language (cmd/juju/waitfor/query) the simulator evaluates:
// identifiers (`life`, `workload-status`, ...), string, number and boolean literals, `==`, `!=`, `&&`,
// `||` and parentheses. Lambdas, `len()` and `forEach()` are refused by name, never misread.
import { UsageError } from "./args.ts";

export type Scalar = string | number | boolean;

type Token = { kind: "ident" | "string" | "number" | "op" | "paren"; text: string };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(?:(==|!=|&&|\|\|)|([()])|"([^"]*)"|'([^']*)'|(-?\d+(?:\.\d+)?)|([A-Za-z][A-Za-z0-9_-]*))/y;
  let at = 0;
  while (at < input.length) {
    if (/^\s*$/.test(input.slice(at))) break;
    pattern.lastIndex = at;
    const match = pattern.exec(input);
    if (!match) throw unsupported(input, input.slice(at).trim());
    at = pattern.lastIndex;
    if (match[1]) tokens.push({ kind: "op", text: match[1] });
    else if (match[2]) tokens.push({ kind: "paren", text: match[2] });
    else if (match[3] !== undefined || match[4] !== undefined) tokens.push({ kind: "string", text: match[3] ?? match[4]! });
    else if (match[5]) tokens.push({ kind: "number", text: match[5] });
    else tokens.push({ kind: "ident", text: match[6]! });
  }
  return tokens;
}

function unsupported(input: string, rest: string): UsageError {
  return new UsageError(`the simulator's wait-for evaluates ==, !=, &&, || and parentheses over identifiers and literals; cannot read "${rest}" in query ${JSON.stringify(input)}`);
}

/** A parsed query: evaluate it against a scope of identifier values; `used` collects the identifiers read. */
export type Query = (scope: Record<string, Scalar>, used: Set<string>) => boolean;

export function parseQuery(input: string): Query {
  const tokens = tokenize(input);
  let i = 0;
  const peek = () => tokens[i];
  type Expr = (scope: Record<string, Scalar>, used: Set<string>) => Scalar;
  const primary = (): Expr => {
    const token = tokens[i++];
    if (!token) throw unsupported(input, "(end of query)");
    if (token.kind === "paren" && token.text === "(") {
      const inner = or();
      if (tokens[i++]?.text !== ")") throw unsupported(input, "a missing )");
      return inner;
    }
    if (token.kind === "string") return () => token.text;
    if (token.kind === "number") return () => Number(token.text);
    if (token.kind === "ident") {
      if (peek()?.text === "(") throw unsupported(input, `${token.text}(`);
      if (token.text === "true" || token.text === "false") return () => token.text === "true";
      return (scope, used) => {
        if (!(token.text in scope)) throw new UsageError(`Runtime Error: identifier ${JSON.stringify(token.text)} not found; known: ${Object.keys(scope).sort().join(", ")}`);
        used.add(token.text);
        return scope[token.text]!;
      };
    }
    throw unsupported(input, token.text);
  };
  const comparison = (): Expr => {
    const left = primary();
    const op = peek();
    if (op?.text !== "==" && op?.text !== "!=") return left;
    i++;
    const right = primary();
    return op.text === "==" ? (s, u) => left(s, u) === right(s, u) : (s, u) => left(s, u) !== right(s, u);
  };
  const and = (): Expr => {
    let left = comparison();
    while (peek()?.text === "&&") {
      i++;
      const l = left, r = comparison();
      left = (s, u) => l(s, u) === true && r(s, u) === true;
    }
    return left;
  };
  const or = (): Expr => {
    let left = and();
    while (peek()?.text === "||") {
      i++;
      const l = left, r = and();
      left = (s, u) => l(s, u) === true || r(s, u) === true;
    }
    return left;
  };
  const query = or();
  if (i < tokens.length) throw unsupported(input, tokens.slice(i).map((t) => t.text).join(" "));
  return (scope, used) => query(scope, used) === true;
}
