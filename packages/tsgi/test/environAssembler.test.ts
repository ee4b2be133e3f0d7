/**
 * Static half of "every server builds its environ through the assembler": no source file in
 * packages/* /src other than tsgi's assembler writes a key the assembler owns (the CGI
 * defaults, REMOTE_*, CONTENT_*, HTTP_* and tsgi.*) into an object. Parsed with the
 * TypeScript compiler, so type declarations (`interface Environ { PATH_INFO: string }`) and
 * reads do not count; object literal properties, assignments and Object.defineProperty do.
 * The dynamic half (the assembler's own key on every server) is in the request-vector suites.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { isAssemblerKey } from "../src/environ/assembleEnviron.js";

const PACKAGES = fileURLToPath(new URL("../../", import.meta.url));

/** The one module allowed to write owned keys: the assembler. */
const ASSEMBLER = "tsgi/src/environ/assembleEnviron.ts";

/**
 * Code that is not a server building an environ but an app-side helper that PEP 3333 lets
 * change one it was given: each entry says why. Keep this list short.
 */
const NOT_A_SERVER: Readonly<Record<string, string>> = {
  // wsgiref.util.shift_path_info: moves one segment from PATH_INFO to SCRIPT_NAME of the app's environ.
  "tsgi/src/util/shiftPathInfo.ts": "shift_path_info edits the environ the app was given",
  // wsgiref.validate: middleware that wraps tsgi.input and tsgi.errors of the environ it is given (PEP 3333 allows it).
  "tsgi/src/validator/validator.ts": "the validator middleware wraps the streams of a built environ",
  // The CGI runner is a CGI server: it writes RFC 3875 meta-variables for a child process, which builds its environ itself.
  "tsgi/src/cgi/requestBody.ts": "CGI meta-variables for the child process, not an environ",
  // The conformance kit's checks hold the values a server's environ is compared against.
  "tsgi/src/conformance/checks/": "expected values, not an environ",
};

function exempt(file: string): boolean {
  return Object.keys(NOT_A_SERVER).some((entry) => (entry.endsWith("/") ? file.startsWith(entry) : file === entry));
}

/** The packages whose sources are scanned (each has a src/ folder). */
const PACKAGE_NAMES = readdirSync(PACKAGES, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(PACKAGES, entry.name, "src")))
  .map((entry) => entry.name);

/** Packages that still build environs by hand at this commit, with the area that must fix them (none now). */
const STILL_WRITING: Readonly<Record<string, string>> = {};

function packageOf(file: string): string {
  return file.split("/")[0] ?? "";
}

interface OwnedWrite {
  file: string;
  line: number;
  key: string;
  text: string;
}

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : sourceFiles(path);
    return /\.(ts|mts|tsx)$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

function packageSources(): string[] {
  return readdirSync(PACKAGES, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => {
      try {
        return sourceFiles(join(PACKAGES, entry.name, "src"));
      } catch {
        return [];
      }
    });
}

/** The literal key a property name or element access names, if it is one. */
function literalKey(node: ts.Node | undefined): string | undefined {
  if (node === undefined) return undefined;
  if (ts.isIdentifier(node) || ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isComputedPropertyName(node)) return literalKey(node.expression);
  return undefined;
}

const ASSIGNMENTS = new Set([
  ts.SyntaxKind.EqualsToken,
  ts.SyntaxKind.QuestionQuestionEqualsToken,
  ts.SyntaxKind.BarBarEqualsToken,
  ts.SyntaxKind.AmpersandAmpersandEqualsToken,
  ts.SyntaxKind.PlusEqualsToken,
]);

/**
 * True when an object literal is an environ being built, not some other record that happens
 * to use CGI names (expected values, CGI meta-variables): it holds a `tsgi.*` key (every
 * environ does), copies another object with owned keys changed (`{ ...environ, PATH_INFO }`),
 * or is declared, cast or checked as an `Environ`.
 */
function isEnvironLiteral(literal: ts.ObjectLiteralExpression): boolean {
  if (literal.properties.some((property) => ts.isSpreadAssignment(property))) return true;
  if (literal.properties.some((property) => literalKey(property.name)?.startsWith("tsgi.") === true)) return true;
  const parent = literal.parent;
  const type =
    (ts.isVariableDeclaration(parent) || ts.isPropertyDeclaration(parent) || ts.isParameter(parent)) ? parent.type
    : ts.isAsExpression(parent) || ts.isSatisfiesExpression(parent) || ts.isTypeAssertionExpression(parent) ? parent.type
    : undefined;
  return type !== undefined && /\bEnviron\b/.test(type.getText());
}

/**
 * Names of functions in a file that store under a key given as their first parameter
 * (`const setDefault = (key, value) => { environ[key] = value }`): a call of one with an
 * owned key literal is a write too.
 */
function keyedSetters(source: ts.SourceFile): Set<string> {
  const setters = new Set<string>();
  const visit = (node: ts.Node): void => {
    const fn =
      ts.isFunctionDeclaration(node) ? node
      : ts.isVariableDeclaration(node) && node.initializer && (ts.isArrowFunction(node.initializer) || ts.isFunctionExpression(node.initializer)) ? node.initializer
      : undefined;
    const name = ts.isFunctionDeclaration(node) ? node.name?.text : ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) ? node.name.text : undefined;
    const first = fn?.parameters[0]?.name;
    if (fn && name && first && ts.isIdentifier(first)) {
      let stores = false;
      const inBody = (inner: ts.Node): void => {
        if (
          ts.isBinaryExpression(inner) && ASSIGNMENTS.has(inner.operatorToken.kind) && ts.isElementAccessExpression(inner.left) &&
          ts.isIdentifier(inner.left.argumentExpression) && inner.left.argumentExpression.text === first.text
        ) stores = true;
        ts.forEachChild(inner, inBody);
      };
      if (fn.body) inBody(fn.body);
      if (stores) setters.add(name);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return setters;
}

/** Every place in `text` that writes an owned key. */
export function ownedWrites(file: string, text: string): OwnedWrite[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const setters = keyedSetters(source);
  const found: OwnedWrite[] = [];
  const report = (node: ts.Node, key: string | undefined) => {
    if (key === undefined || !isAssemblerKey(key)) return;
    const { line } = source.getLineAndCharacterOfPosition(node.getStart());
    found.push({ file, line: line + 1, key, text: node.getText().split("\n")[0]?.slice(0, 120) ?? "" });
  };
  const visit = (node: ts.Node): void => {
    if ((ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) && ts.isObjectLiteralExpression(node.parent)) {
      if (isEnvironLiteral(node.parent)) report(node, literalKey(node.name));
    } else if (ts.isBinaryExpression(node) && ASSIGNMENTS.has(node.operatorToken.kind)) {
      const left = node.left;
      if (ts.isPropertyAccessExpression(left)) report(node, left.name.text);
      else if (ts.isElementAccessExpression(left)) report(node, literalKey(left.argumentExpression));
    } else if (ts.isCallExpression(node) && node.expression.getText() === "Object.defineProperty") {
      report(node, literalKey(node.arguments[1]));
    } else if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && setters.has(node.expression.text)) {
      report(node, literalKey(node.arguments[0]));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe("one environ assembler (static check)", () => {
  it("finds owned-key writes of every form it looks for (so a pass means something)", () => {
    const sample = [
      'const a = { REQUEST_METHOD: "GET", "tsgi.input": input, other: 1 };',
      'const b: Environ = { SERVER_PORT: "80" };',
      "const c = { ...environ, SCRIPT_NAME: mount };",
      'const expected = { PATH_INFO: "/not-an-environ" };',
      'environ["tsgi.errors"] = stream;',
      "environ.PATH_INFO = path;",
      'environ.HTTP_HOST ??= "h";',
      'Object.defineProperty(environ, "SERVER_NAME", { value: "x" });',
      "interface Environ { SCRIPT_NAME: string }",
      "const read = environ.QUERY_STRING;",
      'environ["RAW_URI"] = raw;',
      "const put = (key: string, value: unknown) => { environ[key] = value; };",
      'put("tsgi.run_once", false);',
      'put("RAW_URI", raw);',
    ].join("\n");
    expect(ownedWrites("sample.ts", sample).map((write) => write.key)).toEqual([
      "REQUEST_METHOD",
      "tsgi.input",
      "SERVER_PORT",
      "SCRIPT_NAME",
      "tsgi.errors",
      "PATH_INFO",
      "HTTP_HOST",
      "SERVER_NAME",
      "tsgi.run_once",
    ]);
  });

  const files = packageSources().map((file) => relative(PACKAGES, file));
  it("sees the assembler and the sources of every package", () => {
    expect(files).toContain(ASSEMBLER);
    expect(new Set(files.map(packageOf))).toEqual(new Set(PACKAGE_NAMES));
  });

  for (const name of PACKAGE_NAMES) {
    const title = `no file in packages/${name}/src writes tsgi.*, CGI default, REMOTE_*, CONTENT_* or HTTP_* keys but the assembler`;
    const check = () => {
      const writes = files
        .filter((file) => packageOf(file) === name && file !== ASSEMBLER && !exempt(file))
        .flatMap((file) => ownedWrites(file, readFileSync(join(PACKAGES, file), "utf8")));
      const listing = writes.map((write) => `${write.file}:${write.line} writes ${write.key}: ${write.text}`).join("\n");
      expect(listing, "build the environ with assembleEnviron (tsgi) and add server keys through its serverKeys argument").toBe("");
    };
    if (Object.hasOwn(STILL_WRITING, name)) it.skip(`${title} (skipped: ${STILL_WRITING[name]})`, check);
    else it(title, check);
  }
});
