// Checks recorded Discord REST exchanges against Discord's published schemas.
//
// Usage: node check.mjs EXCHANGES.json
//
// EXCHANGES.json is a JSON array of {method, route, status, request_body, response_body}, where
// route is a template such as /channels/{channel_id}/messages (placeholders may be spelled
// either way, {channel.id} or {channel_id}: they are matched by position). For each exchange
// the operation is found in the `Paths` table of the npm package `discord-api-spec` (generated
// from Discord's OpenAPI spec), the request body is validated against the operation's request
// body schema and the response body against the schema of the response status ("4XX" covers
// the 4xx statuses), with the Zod schemas the same package ships.
//
// Output: one JSON line per violation, then one summary line. Exit code 0 when there is no
// violation, 1 when there is at least one, 2 on a usage or set-up error.
//
// Allowed disagreements: exactly the three that ../shared/DISCORD-NOTES.md ("Where Discord's
// OpenAPI spec and Discord disagree") documents, and nothing else:
//   1. permission bit sets `allow`, `deny`, `permissions`, `default_member_permissions` sent in
//      request bodies as decimal strings where the spec says integer;
//   2. in 50035 error bodies, string codes in the leaves of the `errors` tree (and an `_errors`
//      list beside child fields), where the spec says integer codes;
//   3. attachment ids in (multipart) message bodies given as the integer `files[n]` index where
//      the spec says snowflake.
// Statuses the spec does not list for an operation are violations, except 5xx answers, which
// Discord does give but does not document (the simulator injects them on purpose); those
// exchanges are counted as unchecked.

import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as z from "zod/mini";
import * as schemas from "discord-api-spec/zod";

const PERMISSION_KEYS = new Set(["allow", "deny", "permissions", "default_member_permissions"]);

function fail(message) {
  process.stderr.write(`check.mjs: ${message}\n`);
  process.exit(2);
}

// ---- The operation table, read from the package's TypeScript `Paths` interface ------------

function specSource() {
  // The package exports its JavaScript entry; the TypeScript source sits beside it.
  const entry = fileURLToPath(import.meta.resolve("discord-api-spec"));
  return readFileSync(join(dirname(entry), "discord-api-spec.ts"), "utf8");
}

/** Returns the text of the `{ ... }` block that starts at `open` (the index of `{`). */
function block(text, open) {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}") {
      depth--;
      if (depth === 0) return text.slice(open + 1, i);
    }
  }
  fail("unbalanced braces in the spec's Paths interface");
}

/** Splits the members of an object type body into [key, type text] pairs (top level only). */
function members(body) {
  const out = [];
  let i = 0;
  const skipSpaceAndComments = () => {
    for (;;) {
      while (i < body.length && /\s/.test(body[i])) i++;
      if (body.startsWith("/*", i)) i = body.indexOf("*/", i) + 2;
      else if (body.startsWith("//", i)) i = body.indexOf("\n", i) + 1 || body.length;
      else return;
    }
  };
  for (;;) {
    skipSpaceAndComments();
    if (i >= body.length) return out;
    let key;
    if (body[i] === '"') {
      const end = body.indexOf('"', i + 1);
      key = body.slice(i + 1, end);
      i = end + 1;
    } else {
      const match = /^[A-Za-z_$][\w$]*/.exec(body.slice(i));
      if (!match) fail(`cannot read a member near: ${body.slice(i, i + 40)}`);
      key = match[0];
      i += key.length;
    }
    const optional = body[i] === "?";
    if (optional) i++;
    if (body[i] !== ":") fail(`expected ':' after ${key}`);
    i++;
    let depth = 0;
    const start = i;
    for (; i < body.length; i++) {
      const ch = body[i];
      if ("{([<".includes(ch)) depth++;
      else if ("})]>".includes(ch)) depth--;
      else if (ch === ";" && depth === 0) break;
    }
    out.push([key, body.slice(start, i).trim(), optional]);
    i++;
  }
}

function operations() {
  const source = specSource();
  const start = source.indexOf("export interface Paths {");
  if (start < 0) fail("the package has no Paths interface");
  const table = [];
  for (const [path, pathBody] of members(block(source, source.indexOf("{", start)))) {
    const methods = members(pathBody.slice(1, -1));
    for (const [method, operationBody] of methods) {
      const parts = Object.fromEntries(
        members(operationBody.slice(1, -1)).map(([key, type]) => [key, type]),
      );
      const responses = Object.fromEntries(
        members((parts.responses ?? "{}").slice(1, -1)).map(([status, type]) => [status, type]),
      );
      table.push({
        method: method.toUpperCase(),
        path,
        segments: path.split("/").filter(Boolean),
        requestBody: parts.requestBody,
        responses,
      });
    }
  }
  return table;
}

// ---- TypeScript type expressions to Zod schemas -------------------------------------------

/** Parses the type expressions the generated `Paths` uses into Zod schemas. */
function typeToSchema(text) {
  const tokens = text.match(/"[^"]*"|[A-Za-z_$][\w$]*|\[\]|[{}()|;:?,<>\[\]]/g) ?? [];
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => tokens[pos++];
  const expect = (token) => {
    if (next() !== token) throw new Error(`expected ${token} in ${text}`);
  };

  function union() {
    if (peek() === "|") next();
    const options = [postfix()];
    while (peek() === "|") {
      next();
      options.push(postfix());
    }
    return options.length === 1 ? options[0] : z.union(options);
  }

  function postfix() {
    let schema = primary();
    while (peek() === "[]") {
      next();
      schema = z.array(schema);
    }
    return schema;
  }

  function primary() {
    const token = next();
    if (token === "(") {
      const inner = union();
      expect(")");
      return inner;
    }
    if (token === "{") {
      const shape = {};
      while (peek() !== "}") {
        let key = next();
        if (key.startsWith('"')) key = key.slice(1, -1);
        let optional = false;
        if (peek() === "?") {
          next();
          optional = true;
        }
        expect(":");
        const value = union();
        shape[key] = optional ? z.optional(value) : value;
        if (peek() === ";" || peek() === ",") next();
      }
      expect("}");
      return z.object(shape);
    }
    if (token?.startsWith('"')) return z.literal(token.slice(1, -1));
    switch (token) {
      case "string":
        return z.string();
      case "number":
        return z.number();
      case "boolean":
        return z.boolean();
      case "null":
        return z.null();
      case "true":
        return z.literal(true);
      case "false":
        return z.literal(false);
      case "unknown":
      case "any":
        return z.unknown();
      case "undefined":
      case "never":
        return z.undefined();
      default: {
        const schema = schemas[`${token}Schema`];
        if (!schema) throw new Error(`no schema for type ${token}`);
        return schema;
      }
    }
  }

  const schema = union();
  if (pos !== tokens.length) throw new Error(`unparsed type text: ${text}`);
  return schema;
}

// ---- Matching exchanges to operations --------------------------------------------------------

const isPlaceholder = (segment) => segment.startsWith("{") && segment.endsWith("}");

function findOperation(table, method, route) {
  const segments = route.replace(/^\/api\/v\d+/, "").split("?")[0].split("/").filter(Boolean);
  return table.find(
    (op) =>
      op.method === method.toUpperCase() &&
      op.segments.length === segments.length &&
      op.segments.every((segment, i) =>
        isPlaceholder(segment) ? isPlaceholder(segments[i]) : segment === segments[i],
      ),
  );
}

function responseType(op, status) {
  const exact = op.responses[String(status)];
  if (exact !== undefined) return exact;
  return op.responses[`${String(status)[0]}XX`];
}

// ---- Issues, with the documented disagreements allowed -----------------------------------------

function valueAt(value, path) {
  return path.reduce((node, key) => (node == null ? undefined : node[key]), value);
}

/** True when the issue at absolute `path` is one of the documented disagreements. */
function allowed(issue, path, body, where) {
  if (where !== "request") return false;
  const value = valueAt(body, path);
  const last = path[path.length - 1];
  // 1. Permission bit sets as decimal strings.
  if (
    PERMISSION_KEYS.has(last) &&
    issue.code === "invalid_type" &&
    typeof value === "string" &&
    /^(0|[1-9][0-9]*)$/.test(value)
  ) {
    return true;
  }
  // 3. Attachment ids as the integer files[n] index.
  if (
    last === "id" &&
    path.length >= 3 &&
    path[path.length - 3] === "attachments" &&
    Number.isInteger(value) &&
    value >= 0
  ) {
    return true;
  }
  return false;
}

/** The Zod port checks `format: date-time` more strictly than the spec it comes from: it
 *  demands a `Z` suffix, while the spec's RFC 3339 date-time allows any offset (Discord sends
 *  `+00:00`). This applies the spec's rule; it is not one of the allowed disagreements. */
function meetsSpecFormat(issue, value) {
  return (
    issue.code === "invalid_format" &&
    issue.format === "datetime" &&
    typeof value === "string" &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(value) &&
    !Number.isNaN(Date.parse(value))
  );
}

/** Flattens Zod issues into violations, resolving unions: a union passes when one branch's
 *  issues are all allowed; otherwise the branch with the fewest remaining issues is reported. */
function remaining(issues, base, body, where) {
  const out = [];
  for (const issue of issues) {
    const path = [...base, ...(issue.path ?? [])];
    if (issue.code === "invalid_union" && Array.isArray(issue.errors) && issue.errors.length) {
      const branches = issue.errors.map((branch) => remaining(branch, path, body, where));
      if (branches.some((left) => left.length === 0)) continue;
      // Prefer the branch that matched best: one whose shape (object, array, null …) and
      // discriminating `type` fit says what is really wrong, however many issues it lists.
      const misfit = (v) =>
        (v.code === "invalid_type" && v.path.length === path.length) ||
        (v.code === "invalid_value" && v.path.length === path.length + 1 && v.path.at(-1) === "type");
      const score = (left) => left.length + (left.some(misfit) ? 1000 : 0);
      out.push(...branches.reduce((best, left) => (score(left) < score(best) ? left : best)));
      continue;
    }
    if (allowed(issue, path, body, where) || meetsSpecFormat(issue, valueAt(body, path))) continue;
    out.push({ path, code: issue.code, message: describe(issue, valueAt(body, path)) });
  }
  return out;
}

function describe(issue, value) {
  const shown = JSON.stringify(value);
  const got = shown === undefined ? "nothing" : shown.length > 80 ? `${shown.slice(0, 77)}...` : shown;
  switch (issue.code) {
    case "invalid_type":
      return value === undefined
        ? `required field is missing (expected ${issue.expected})`
        : `expected ${issue.expected}, got ${got}`;
    case "invalid_value":
      return `expected one of ${JSON.stringify(issue.values)}, got ${got}`;
    case "too_big":
      return `must be at most ${issue.maximum} (${issue.origin}), got ${got}`;
    case "too_small":
      return `must be at least ${issue.minimum} (${issue.origin}), got ${got}`;
    case "invalid_format":
      return `does not match ${issue.format}${issue.pattern ? ` ${issue.pattern}` : ""}, got ${got}`;
    default:
      return `${issue.message} (${issue.code}), got ${got}`;
  }
}

/** 2. A 50035 `errors` tree: objects all the way down, whose `_errors` lists hold
 *  `{code, message}` with string (Discord) or integer (spec) codes. */
function errorTreeViolations(tree, path) {
  if (tree === null || typeof tree !== "object" || Array.isArray(tree)) {
    return [{ path, code: "invalid_type", message: "expected an object in the errors tree" }];
  }
  const out = [];
  for (const [key, child] of Object.entries(tree)) {
    const childPath = [...path, key];
    if (key !== "_errors") {
      out.push(...errorTreeViolations(child, childPath));
      continue;
    }
    if (!Array.isArray(child)) {
      out.push({ path: childPath, code: "invalid_type", message: "expected an array of errors" });
      continue;
    }
    child.forEach((entry, i) => {
      const okCode = typeof entry?.code === "string" || Number.isInteger(entry?.code);
      if (!okCode || typeof entry?.message !== "string") {
        out.push({
          path: [...childPath, i],
          code: "invalid_type",
          message: `expected {code, message}, got ${JSON.stringify(entry)}`,
        });
      }
    });
  }
  return out;
}

function validate(schema, body, where) {
  const result = schema.safeParse(body);
  return result.success ? [] : remaining(result.error.issues, [], body, where);
}

function validateResponse(schema, body, status) {
  if (status === 400 && body && typeof body === "object" && body.code === 50035 && "errors" in body) {
    const { errors, ...rest } = body;
    return [
      ...validate(schema, rest, "response"),
      ...errorTreeViolations(errors, ["errors"]),
    ];
  }
  return validate(schema, body, "response");
}

// ---- Main ------------------------------------------------------------------------------

function main() {
  const file = process.argv[2];
  if (!file) fail("usage: node check.mjs EXCHANGES.json");
  let exchanges;
  try {
    exchanges = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    fail(`cannot read ${file}: ${error.message}`);
  }
  if (!Array.isArray(exchanges)) fail("the exchanges file must hold a JSON array");

  const table = operations();
  const cache = new Map();
  const schemaFor = (text) => {
    if (!cache.has(text)) cache.set(text, typeToSchema(text));
    return cache.get(text);
  };

  const summary = { exchanges: exchanges.length, requests_checked: 0, responses_checked: 0, unchecked: 0, violations: 0 };
  const report = (index, exchange, where, violation) => {
    summary.violations++;
    process.stdout.write(
      `${JSON.stringify({
        index,
        method: exchange.method,
        route: exchange.route,
        status: exchange.status,
        where,
        path: violation.path.join("."),
        code: violation.code,
        message: violation.message,
      })}\n`,
    );
  };

  exchanges.forEach((exchange, index) => {
    const { method, route, status } = exchange;
    if (typeof method !== "string" || typeof route !== "string" || !Number.isInteger(status)) {
      report(index, exchange, "exchange", { path: [], code: "bad_exchange", message: "method, route and status are required" });
      return;
    }
    const op = findOperation(table, method, route);
    if (!op) {
      report(index, exchange, "route", { path: [], code: "unknown_route", message: `${method} ${route} is not in Discord's spec` });
      return;
    }

    const requestBody = exchange.request_body ?? null;
    if (requestBody !== null) {
      if (op.requestBody === undefined || op.requestBody === "undefined") {
        report(index, exchange, "request", { path: [], code: "unexpected_body", message: "the spec defines no request body here" });
      } else {
        summary.requests_checked++;
        for (const v of validate(schemaFor(op.requestBody), requestBody, "request")) report(index, exchange, "request", v);
      }
    }

    if (status >= 500) {
      summary.unchecked++;
      return;
    }
    const type = responseType(op, status);
    if (type === undefined) {
      report(index, exchange, "response", { path: [], code: "undocumented_status", message: `status ${status} is not documented for ${op.method} ${op.path}` });
      return;
    }
    if (type === "unknown") return;
    const responseBody = exchange.response_body ?? null;
    summary.responses_checked++;
    for (const v of validateResponse(schemaFor(type), responseBody, status)) report(index, exchange, "response", v);
  });

  process.stdout.write(`${JSON.stringify({ summary })}\n`);
  process.exit(summary.violations > 0 ? 1 : 0);
}

main();
