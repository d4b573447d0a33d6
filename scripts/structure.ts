// The shape of the code, measured from the tree (docs/architecture.md, "Measured shape"): how features meet, how long
// functions and files are, where tests live. `pnpm structure` prints the figures; `pnpm structure --check` (run by
// `pnpm lint`) fails when a limit below is crossed (a test under src/, an unjustified function of 150+ lines, more
// than three such functions or more than five files over 400 lines), naming the file and the fix.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const core = join(root, 'packages/core/src');

/** Functions longer than this many lines need a reason in a comment on the line above them (`long function:`). */
export const FUNCTION_LINES = 150;
/** Source files longer than this many lines are counted; no more than {@link LONG_FILES_ALLOWED} may be. */
export const FILE_LINES = 400;
export const LONG_FILES_ALLOWED = 5;
export const LONG_FUNCTIONS_ALLOWED = 3;

function walk(folder: string, keep: (path: string) => boolean): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(folder)) {
    if (entry === 'node_modules' || entry === 'dist' || entry.startsWith('.')) continue;
    const path = join(folder, entry);
    if (statSync(path).isDirectory()) found.push(...walk(path, keep));
    else if (keep(path)) found.push(path);
  }
  return found;
}

const isSource = (path: string) => path.endsWith('.ts') && !path.endsWith('.test.ts') && !path.endsWith('.generated.ts');
const packages = readdirSync(join(root, 'packages')).map((name) => join(root, 'packages', name));
const sources = packages.flatMap((folder) => walk(join(folder, 'src'), isSource));
const lineCount = (text: string) => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

/** The relative imports of a file, resolved to absolute paths (`.js` read as `.ts`). */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles
    .map((imported) => imported.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => resolve(dirname(file), name).replace(/\.js$/, '.ts'));
}

const featureOf = (path: string) => /\/core\/src\/features\/([^/]+)\//.exec(path)?.[1];
const coreSources = sources.filter((path) => path.startsWith(`${core}/`));
const features = readdirSync(join(core, 'features')).filter((name) => statSync(join(core, 'features', name)).isDirectory());

function featureImports() {
  let featureToFeature = 0;
  const outsideImporters = new Set<string>();
  const namedBy = new Map<string, Set<string>>();
  for (const file of coreSources) {
    const own = featureOf(file);
    for (const target of importsOf(file)) {
      const feature = featureOf(target);
      if (!feature || feature === own) continue;
      if (own) featureToFeature += 1;
      else outsideImporters.add(relative(root, file));
      const files = namedBy.get(feature) ?? new Set();
      files.add(relative(root, file));
      namedBy.set(feature, files);
    }
  }
  const mostNamed = [...namedBy].sort((a, b) => b[1].size - a[1].size)[0];
  return { featureToFeature, outsideImporters: [...outsideImporters].sort(), mostNamed };
}

/** The bundle lists features own, read from their definitions' sections (`list: 'reports'`). */
function featureListNames(): string[] {
  const names = new Set<string>();
  for (const file of coreSources.filter((path) => featureOf(path))) {
    if (!readFileSync(file, 'utf8').includes('references')) continue;
    for (const match of readFileSync(file, 'utf8').matchAll(/\blist: '([A-Za-z]+)'/g)) names.add(match[1]!);
  }
  return [...names].sort();
}

/**
 * Files of kernel/ and records/ whose code (not comments) spells three or more of the features' bundle lists: a
 * hand-written list of what features own.
 */
function filesSpellingListNames(names: readonly string[]): string[] {
  const wanted = new Set(names);
  const spelling: string[] = [];
  for (const file of coreSources.filter((path) => /\/core\/src\/(kernel|records)\//.test(path))) {
    const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, readFileSync(file, 'utf8'));
    const found = new Set<string>();
    for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
      const isName = token === ts.SyntaxKind.Identifier || token === ts.SyntaxKind.StringLiteral;
      if (isName && wanted.has(scanner.getTokenValue())) found.add(scanner.getTokenValue());
    }
    if (found.size >= 3) spelling.push(relative(root, file));
  }
  return spelling;
}

/** Features with tables, and those of them that keep their migrations in their own folder. */
function migrationOwners() {
  const withTables = features.filter(
    (name) => statSync(join(core, 'features', name)).isDirectory() && exists(join(core, 'features', name, 'schema.ts')),
  );
  const owning = withTables.filter((name) => exists(join(core, 'features', name, 'migrations')));
  return { withTables, owning };
}

function exists(path: string) {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

export interface LongFunction {
  file: string;
  name: string;
  line: number;
  lines: number;
  justified: boolean;
}

/** Every function, method and arrow function of at least `FUNCTION_LINES` lines in packages/<p>/src. */
export function longFunctions(): LongFunction[] {
  const found: LongFunction[] = [];
  for (const file of sources) {
    const text = readFileSync(file, 'utf8');
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const lines = text.split('\n');
    const visit = (node: ts.Node) => {
      if (ts.isFunctionLike(node) && 'body' in node && node.body) {
        const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
        const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
        const length = end - start + 1;
        if (length >= FUNCTION_LINES) {
          const above = lines.slice(Math.max(0, start - 3), start).join('\n');
          found.push({
            file: relative(root, file),
            name: functionName(node),
            line: start + 1,
            lines: length,
            justified: /long function:/.test(above),
          });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found.sort((a, b) => b.lines - a.lines);
}

function functionName(node: ts.Node): string {
  const named = node as ts.Node & { name?: ts.Node };
  if (named.name && ts.isIdentifier(named.name)) return named.name.text;
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  return '(anonymous)';
}

export function longFiles(): { file: string; lines: number }[] {
  return sources
    .map((file) => ({ file: relative(root, file), lines: lineCount(readFileSync(file, 'utf8')) }))
    .filter((entry) => entry.lines > FILE_LINES)
    .sort((a, b) => b.lines - a.lines);
}

/** Test files under a `test/` folder against all test files of the packages. */
export function testPlaces() {
  const tests = packages.flatMap((folder) => walk(folder, (path) => path.endsWith('.test.ts')));
  const beside = tests.filter((path) => /\/packages\/[^/]+\/src\//.test(path)).map((path) => relative(root, path));
  return { total: tests.length, inTestFolders: tests.length - beside.length, beside };
}

/** Every figure `pnpm structure` prints. */
export function measure() {
  const listNames = featureListNames();
  return {
    imports: featureImports(),
    listNames,
    spelling: filesSpellingListNames(listNames),
    migrations: migrationOwners(),
    functions: longFunctions(),
    files: longFiles(),
    tests: testPlaces(),
  };
}

function report() {
  const { imports, listNames, spelling, migrations, functions, files, tests } = measure();
  const percent = Math.round((100 * tests.inTestFolders) / tests.total);
  console.log(`feature→feature imports: ${imports.featureToFeature}`);
  console.log(`core files outside features/ importing a feature: ${imports.outsideImporters.length}`);
  for (const file of imports.outsideImporters) console.log(`  ${file}`);
  console.log(
    `most core files naming one feature outside its folder: ${imports.mostNamed?.[1].size ?? 0} (${imports.mostNamed?.[0] ?? 'none'})`,
  );
  console.log(`files of kernel/ and records/ spelling the features' bundle lists (${listNames.join(', ')}): ${spelling.length}`);
  for (const file of spelling) console.log(`  ${file}`);
  console.log(`features owning their migrations: ${migrations.owning.length} of ${migrations.withTables.length}`);
  console.log(`functions of ${FUNCTION_LINES}+ lines: ${functions.length}`);
  for (const f of functions) console.log(`  ${f.lines} ${f.name} ${f.file}:${f.line}${f.justified ? ' (justified)' : ''}`);
  console.log(`source files over ${FILE_LINES} lines: ${files.length}`);
  for (const f of files) console.log(`  ${f.lines} ${f.file}`);
  console.log(`tests in test/ folders: ${tests.inTestFolders} of ${tests.total} (${percent} %)`);
}

/** The limits `pnpm lint` holds the tree to; each problem names the file and what to do. */
export function structureProblems(): string[] {
  const problems: string[] = [];
  for (const file of testPlaces().beside) problems.push(`${file}: tests live in packages/<package>/test/; move it there`);
  const functions = longFunctions();
  for (const f of functions.filter((fn) => !fn.justified))
    problems.push(
      `${f.file}:${f.line}: ${f.name} has ${f.lines} lines (limit ${FUNCTION_LINES - 1}); split it into named steps, or say why it must stay whole in a comment starting "long function:" just above it`,
    );
  if (functions.length > LONG_FUNCTIONS_ALLOWED)
    problems.push(
      `${functions.length} functions of ${FUNCTION_LINES}+ lines (at most ${LONG_FUNCTIONS_ALLOWED}, each justified); split one`,
    );
  const files = longFiles();
  if (files.length > LONG_FILES_ALLOWED)
    problems.push(
      `${files.length} source files over ${FILE_LINES} lines (at most ${LONG_FILES_ALLOWED}): ${files.map((f) => `${f.file} (${f.lines})`).join(', ')}; split one into files of one concept`,
    );
  return problems;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--check')) {
    const problems = structureProblems();
    for (const problem of problems) console.error(problem);
    process.exitCode = problems.length ? 1 : 0;
  } else report();
}
