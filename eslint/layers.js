// A local ESLint plugin that keeps the layers apart (README → Architecture) and the import graph acyclic.
//
//   millrace/layers    every relative import (value or type-only, `export … from`, `import()`,
//                      `typeof import()`, `new URL('…', import.meta.url)`) is resolved against the
//                      importing file; the target's layer must be one the importer's layer may use.
//   millrace/no-cycle  an import that closes a cycle in the import graph of the repo's own files is an
//                      error; the report names the whole cycle.
//
// Layers are directories relative to the repo root ('src/lib/store': that folder and everything under
// it) or 'dir/*' (only the files directly in dir). A file belongs to its most specific match. Packages
// (bare specifiers) are not this plugin's business: no-restricted-imports handles them.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const toPosix = (p) => p.split(path.sep).join('/');

/** The specifier's file path without a Vite query (`?url`, `?worker`) or hash, or null for a package. */
function localSpecifier(spec) {
  if (typeof spec !== 'string') return null;
  if (!(spec.startsWith('./') || spec.startsWith('../') || spec.startsWith('/') || spec === '.' || spec === '..')) {
    return null;
  }
  return spec.replace(/[?#].*$/, '');
}

/** Absolute path of a local specifier, before extension resolution. `/x` is root-relative, as in Vite. */
function specifierPath(spec, fromFile, root) {
  const local = localSpecifier(spec);
  if (local === null) return null;
  return local.startsWith('/') ? path.join(root, local) : path.resolve(path.dirname(fromFile), local);
}

// File-system caches live for a few seconds: one lint run shares them, a long-lived editor process
// still sees files come and go.
const isFileCache = new Map();
const graphCache = new Map(); // file → { root, refs: [{ target, kind }], edges: Map(option key → files) }
let cachesBorn = Date.now();
function freshCaches() {
  if (Date.now() - cachesBorn > 5000) {
    isFileCache.clear();
    graphCache.clear();
    cachesBorn = Date.now();
  }
}

function isFile(p) {
  let hit = isFileCache.get(p);
  if (hit === undefined) {
    try {
      hit = fs.statSync(p).isFile();
    } catch {
      hit = false;
    }
    isFileCache.set(p, hit);
  }
  return hit;
}

/** The file a specifier path names, as Vite/TS 'bundler' resolution would find it, or null. */
function resolveFile(abs) {
  const candidates = [abs];
  if (abs.endsWith('.js')) candidates.push(abs.slice(0, -3) + '.ts');
  for (const ext of ['.ts', '.svelte.ts', '.js', '.svelte', '/index.ts', '/index.js']) candidates.push(abs + ext);
  return candidates.find(isFile) ?? null;
}

/** Every module reference in the ESTree program of a file, via callbacks on the listeners. */
function moduleReferenceListeners(onReference) {
  const literal = (node) =>
    node?.type === 'Literal' && typeof node.value === 'string'
      ? node.value
      : node?.type === 'TemplateLiteral' && node.expressions.length === 0
        ? node.quasis[0].value.cooked
        : null;
  const ref = (node, sourceNode, kind) => {
    const spec = literal(sourceNode);
    if (spec !== null) onReference({ node: sourceNode ?? node, spec, kind });
  };
  return {
    ImportDeclaration: (n) => ref(n, n.source, n.importKind === 'type' ? 'type' : 'value'),
    ExportNamedDeclaration: (n) => n.source && ref(n, n.source, n.exportKind === 'type' ? 'type' : 'value'),
    ExportAllDeclaration: (n) => ref(n, n.source, n.exportKind === 'type' ? 'type' : 'value'),
    ImportExpression: (n) => ref(n, n.source, 'dynamic'),
    TSImportType: (n) => ref(n, n.source ?? n.argument?.literal, 'type'),
    TSExternalModuleReference: (n) => ref(n, n.expression, n.parent?.importKind === 'type' ? 'type' : 'value'),
    NewExpression: (n) => {
      // new URL('../../workers/x.ts', import.meta.url): how Vite names a worker or an asset.
      const [first, base] = n.arguments;
      const isImportMetaUrl =
        base?.type === 'MemberExpression' &&
        base.object.type === 'MetaProperty' &&
        base.object.meta.name === 'import' &&
        base.property.type === 'Identifier' &&
        base.property.name === 'url';
      if (n.callee.type === 'Identifier' && n.callee.name === 'URL' && isImportMetaUrl) ref(n, first, 'url');
    },
  };
}

// ---------------------------------------------------------------------------------------------- layers

function compileLayers(layers) {
  const entries = [];
  for (const [name, def] of Object.entries(layers)) {
    for (const p of def.paths) {
      const direct = p.endsWith('/*');
      const dir = direct ? p.slice(0, -2) : p.replace(/\/$/, '');
      // A 'dir/*' entry outranks 'dir' and anything shallower; a deeper directory outranks both.
      entries.push({ name, dir, direct, rank: dir.length * 2 + (direct ? 1 : 0) });
    }
  }
  const layerOf = (rel) => {
    let best = null;
    for (const e of entries) {
      const hit = e.direct ? path.posix.dirname(rel) === e.dir : rel === e.dir || rel.startsWith(e.dir + '/');
      if (hit && (best === null || e.rank > best.rank)) best = e;
    }
    return best?.name ?? null;
  };
  const describe = (name) => layers[name].paths.join(', ');
  return { layerOf, describe };
}

const compiledLayers = new WeakMap();

const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Relative imports may only cross into the layers the importing layer may use.' },
    schema: [
      {
        type: 'object',
        properties: {
          root: { type: 'string' },
          layers: {
            type: 'object',
            additionalProperties: {
              type: 'object',
              properties: {
                paths: { type: 'array', items: { type: 'string' }, minItems: 1 },
                allow: { type: 'array', items: { type: 'string' } },
              },
              required: ['paths', 'allow'],
              additionalProperties: false,
            },
          },
          covered: { type: 'array', items: { type: 'string' } },
        },
        required: ['layers'],
        additionalProperties: false,
      },
    ],
    messages: {
      crossing:
        "Layer '{{from}}' may not import layer '{{to}}' ({{target}}){{how}}. '{{from}}' may import only: {{allowed}}. See README → Architecture.",
      outside:
        "Layer '{{from}}' may not import {{target}}{{how}}: it is in no layer. '{{from}}' may import only: {{allowed}}.",
      unlayered:
        "{{file}} is in no layer: add its directory to the 'millrace/layers' layer map in eslint.config.js.",
    },
  },
  create(context) {
    const options = context.options[0];
    const root = options.root ?? context.cwd;
    let compiled = compiledLayers.get(options);
    if (!compiled) compiledLayers.set(options, (compiled = compileLayers(options.layers)));
    const { layerOf } = compiled;
    freshCaches();
    const filename = context.filename;
    const rel = toPosix(path.relative(root, filename));
    if (rel.startsWith('..') || path.isAbsolute(rel)) return {};
    const from = layerOf(rel);
    if (from === null) {
      const covered = options.covered ?? [];
      if (covered.some((dir) => rel.startsWith(dir.replace(/\/$/, '') + '/'))) {
        return {
          Program: (node) => context.report({ node, loc: { line: 1, column: 0 }, messageId: 'unlayered', data: { file: rel } }),
        };
      }
      return {};
    }
    const allow = new Set([from, ...options.layers[from].allow]);
    const allowed = [...allow].join(', ');
    return moduleReferenceListeners(({ node, spec, kind }) => {
      const abs = specifierPath(spec, filename, root);
      if (abs === null) return;
      const target = toPosix(path.relative(root, resolveFile(abs) ?? abs));
      const to = target.startsWith('..') ? null : layerOf(target);
      if (to !== null && allow.has(to)) return;
      const how =
        kind === 'type'
          ? ' (type-only imports count too)'
          : kind === 'url'
            ? ' (via new URL(…, import.meta.url))'
            : kind === 'dynamic'
              ? ' (dynamic import)'
              : '';
      context.report({
        node,
        messageId: to === null ? 'outside' : 'crossing',
        data: { from, to: to ?? '', target, how, allowed },
      });
    });
  },
};

// -------------------------------------------------------------------------------------------- no-cycle

/** Module references in a file on disk (a .svelte file's <script> blocks), from TypeScript's parser. */
function referencesOnDisk(file) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  if (file.endsWith('.svelte')) {
    text = [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
  }
  const kind = /\.(m|c)?jsx?$/.test(file) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, kind);
  const refs = [];
  const visit = (node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      refs.push({ spec: node.moduleSpecifier.text, kind: node.importClause?.isTypeOnly ? 'type' : 'value' });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      refs.push({ spec: node.moduleSpecifier.text, kind: node.isTypeOnly ? 'type' : 'value' });
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const e = node.moduleReference.expression;
      if (ts.isStringLiteral(e)) refs.push({ spec: e.text, kind: node.isTypeOnly ? 'type' : 'value' });
    } else if (ts.isImportTypeNode(node)) {
      const a = node.argument;
      if (ts.isLiteralTypeNode(a) && ts.isStringLiteral(a.literal)) refs.push({ spec: a.literal.text, kind: 'type' });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const a = node.arguments[0];
      if (a && (ts.isStringLiteral(a) || ts.isNoSubstitutionTemplateLiteral(a))) refs.push({ spec: a.text, kind: 'dynamic' });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return refs;
}

/** Whether a reference of this kind is an edge of the graph the cycle check walks. */
function isEdge(kind, options) {
  if (kind === 'url') return false; // a worker or asset URL is not an import
  if (kind === 'type') return options.typeImports !== false;
  if (kind === 'dynamic') return options.dynamicImports !== false;
  return true;
}

function inGraph(file, root) {
  const rel = path.relative(root, file);
  return !rel.startsWith('..') && !path.isAbsolute(rel) && !rel.split(path.sep).includes('node_modules');
}

/** The files a file on disk imports (edges only). Cached while the caches are fresh (see freshCaches). */
function edgesOnDisk(file, root, options) {
  let hit = graphCache.get(file);
  if (!hit || hit.root !== root) {
    const refs = [];
    for (const { spec, kind } of referencesOnDisk(file)) {
      const abs = specifierPath(spec, file, root);
      const target = abs && resolveFile(abs);
      if (target && target !== file && inGraph(target, root)) refs.push({ target, kind });
    }
    hit = { root, refs, edges: new Map() };
    graphCache.set(file, hit);
  }
  const key = `${options.typeImports !== false}/${options.dynamicImports !== false}`;
  let edges = hit.edges.get(key);
  if (!edges) {
    edges = [...new Set(hit.refs.filter(({ kind }) => isEdge(kind, options)).map(({ target }) => target))];
    hit.edges.set(key, edges);
  }
  return edges;
}

/**
 * The shortest path of files from `start` back to `goal` (both included), or null. Files in `deadEnds`
 * are known not to lead back to `goal`; a failed search adds every file it saw to them.
 */
function pathBack(start, goal, root, options, deadEnds) {
  if (deadEnds.has(start)) return null;
  const previous = new Map([[start, null]]);
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const file = queue[i];
    for (const next of edgesOnDisk(file, root, options)) {
      if (next === goal) {
        const chain = [goal];
        for (let f = file; f !== null; f = previous.get(f)) chain.unshift(f);
        return chain;
      }
      if (!previous.has(next) && !deadEnds.has(next)) {
        previous.set(next, file);
        queue.push(next);
      }
    }
  }
  for (const file of queue) deadEnds.add(file);
  return null;
}

const noCycleRule = {
  meta: {
    type: 'problem',
    docs: { description: "Imports between the repo's own files may not form a cycle." },
    schema: [
      {
        type: 'object',
        properties: {
          root: { type: 'string' },
          typeImports: { type: 'boolean' },
          dynamicImports: { type: 'boolean' },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      cycle: 'Import cycle: {{cycle}}. Move what both sides need into a lower layer (or src/lib/contracts).',
    },
  },
  create(context) {
    const options = context.options[0] ?? {};
    const root = options.root ?? context.cwd;
    const filename = context.filename;
    if (!inGraph(filename, root)) return {};
    freshCaches();
    const seen = new Set();
    const deadEnds = new Set();
    return moduleReferenceListeners(({ node, spec, kind }) => {
      if (!isEdge(kind, options)) return;
      const abs = specifierPath(spec, filename, root);
      const target = abs && resolveFile(abs);
      if (!target || target === filename || !inGraph(target, root) || seen.has(target)) return;
      seen.add(target);
      // The file being linted comes from the linter (it may differ from the disk); the rest from disk.
      const back = pathBack(target, filename, root, options, deadEnds);
      if (back === null) return;
      const cycle = [filename, ...back].map((f) => toPosix(path.relative(root, f))).join(' → ');
      context.report({ node, messageId: 'cycle', data: { cycle } });
    });
  },
};

export default {
  meta: { name: 'millrace', version: '1.0.0' },
  rules: { layers: layersRule, 'no-cycle': noCycleRule },
};
