// Generates ecma-pattern-cases.json: random JSON Schema patterns (the ECMA-262 subset that
// SchemaPattern supports, each valid with the `u` flag) and strings, with what Node's RegExp
// answers. Run from this folder: node gen-ecma-pattern-cases.js > ecma-pattern-cases.json
'use strict';

let seed = 20261205;
function random() {
  // mulberry32: deterministic, so the fixture is reproducible.
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (items) => items[Math.floor(random() * items.length)];

const alphabet = ['a', 'b', 'c', 'A', '1', '2', '_', ' ', '-', '.', '\n', '\u00e9', '\u{1F600}'];
const literals = ['a', 'b', 'c', 'A', '1', '_', ' ', '-', '\\.', '\\n', '\u00e9', '\u{1F600}',
  '\\x41', '\\u0062', '\\u{1F600}', '\\t'];
const sets = ['.', '\\d', '\\D', '\\w', '\\W', '\\s', '\\S', '[ab]', '[^a]', '[a-c]', '[\\d_]',
  '[^\\w]', '[\\u{1F600}\u00e9]', '[^]', '[]', '\\p{L}', '\\P{L}', '\\p{Lu}', '\\p{Nd}',
  '[\\s\\d]', '[^\\s-]', '[A-Z1-2]', '[.]', '[\\-a]'];
const assertions = ['^', '$', '\\b', '\\B'];
const quantifiers = ['*', '+', '?', '{0}', '{1}', '{2}', '{1,3}', '{2,}', '{0,2}'];
let groupNames = 0;

function atom(depth) {
  const roll = random();
  if (roll < 0.35) return pick(literals);
  if (roll < 0.65) return pick(sets);
  if (depth > 0 && roll < 0.85) {
    const open = pick(['(', '(?:', `(?<g${groupNames++}>`]);
    return open + disjunction(depth - 1) + ')';
  }
  return pick(literals);
}

function term(depth) {
  if (random() < 0.12) return pick(assertions);
  let text = atom(depth);
  if (random() < 0.4) text += pick(quantifiers) + (random() < 0.2 ? '?' : '');
  return text;
}

function alternative(depth) {
  const count = Math.floor(random() * 4);
  let text = '';
  for (let i = 0; i < count; i++) text += term(depth);
  return text;
}

function disjunction(depth) {
  let text = alternative(depth);
  while (random() < 0.25) text += '|' + alternative(depth);
  return text;
}

function input() {
  const length = Math.floor(random() * 9);
  let text = '';
  for (let i = 0; i < length; i++) text += pick(alphabet);
  return text;
}

const groups = [];
while (groups.length < 600) {
  groupNames = 0;
  const pattern = disjunction(2);
  let regex;
  try {
    regex = new RegExp(pattern, 'u');
  } catch {
    continue;
  }
  const cases = [];
  for (let i = 0; i < 6; i++) {
    const text = input();
    cases.push([text, regex.test(text)]);
  }
  groups.push(JSON.stringify({ pattern, cases }));
}
// One group per line: [input, whether it matches] pairs.
process.stdout.write(`{"generator": "gen-ecma-pattern-cases.js", "node": "${process.version}",
"groups": [
${groups.join(',\n')}
]}
`);
