#!/usr/bin/env node
// The reference renderer for the Templating fixtures: the real handlebars.js (Debian's
// libjs-handlebars, 4.7.7, the UMD build) under node, rendering with `noEscape: true` and
// Promptsmith's prompt helpers registered in JavaScript.
//
// Reads a JSON array of {template, data, partials} on standard input and writes a JSON array of
// {expected} or {error} (the first line of the JavaScript error) on standard output. Run by
// scripts/gen-templating-fixtures.py; HANDLEBARS_JS overrides where handlebars.js is.
'use strict';

const fs = require('fs');
const Handlebars = require(process.env.HANDLEBARS_JS || '/usr/share/javascript/handlebars/handlebars.js');

// Promptsmith's prompt helpers, with exactly the semantics of
// Sources/Templating/Handlebars/PromptHelpers.swift.
function registerPromptHelpers(H) {
  function args(a) { return Array.prototype.slice.call(a, 0, a.length - 1); }
  function truthy(v) { return !!v && !(Array.isArray(v) && v.length === 0); }
  function str(v) { return v == null ? '' : String(v); }
  function deepEqual(a, b) {
    if (a === b) return true;
    if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
    if (Array.isArray(a) !== Array.isArray(b)) return false;
    if (Array.isArray(a)) {
      if (a.length !== b.length) return false;
      for (var i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
      return true;
    }
    var ka = Object.keys(a), kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    for (var j = 0; j < ka.length; j++) {
      if (!Object.prototype.hasOwnProperty.call(b, ka[j])) return false;
      if (!deepEqual(a[ka[j]], b[ka[j]])) return false;
    }
    return true;
  }
  function codePoints(s) {
    var out = [];
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c >= 0xD800 && c <= 0xDBFF && i + 1 < s.length) {
        var d = s.charCodeAt(i + 1);
        if (d >= 0xDC00 && d <= 0xDFFF) { out.push(s.charAt(i) + s.charAt(i + 1)); i++; continue; }
      }
      out.push(s.charAt(i));
    }
    return out;
  }
  H.registerHelper('eq', function () { var a = args(arguments); return deepEqual(a[0], a[1]); });
  H.registerHelper('ne', function () { var a = args(arguments); return !deepEqual(a[0], a[1]); });
  H.registerHelper('and', function () {
    var a = args(arguments);
    if (a.length === 0) return false;
    for (var i = 0; i < a.length; i++) if (!truthy(a[i])) return false;
    return true;
  });
  H.registerHelper('or', function () {
    var a = args(arguments);
    for (var i = 0; i < a.length; i++) if (truthy(a[i])) return true;
    return false;
  });
  H.registerHelper('not', function () { return !truthy(args(arguments)[0]); });
  H.registerHelper('json', function () {
    var s = JSON.stringify(args(arguments)[0], null, 2);
    return s === undefined ? '' : s;
  });
  H.registerHelper('join', function () {
    var a = args(arguments), list = a[0], sep = a.length > 1 ? str(a[1]) : ', ';
    if (!Array.isArray(list)) return str(list);
    var out = [];
    for (var i = 0; i < list.length; i++) out.push(str(list[i]));
    return out.join(sep);
  });
  H.registerHelper('default', function () {
    var a = args(arguments), v = a[0];
    if (v == null || v === '' || (Array.isArray(v) && v.length === 0)) return a[1];
    return v;
  });
  H.registerHelper('upper', function () { return str(args(arguments)[0]).toUpperCase(); });
  H.registerHelper('lower', function () { return str(args(arguments)[0]).toLowerCase(); });
  H.registerHelper('truncate', function () {
    var a = args(arguments), text = str(a[0]), n = Math.floor(Number(a[1]));
    if (!(n >= 0)) return text;
    var cps = codePoints(text);
    if (cps.length <= n) return text;
    return cps.slice(0, n).join('') + '\u2026';
  });
  H.registerHelper('bullets', function () {
    var list = args(arguments)[0];
    if (list == null || list === '') return '';
    if (!Array.isArray(list)) list = [list];
    var lines = [];
    for (var i = 0; i < list.length; i++) lines.push('- ' + str(list[i]));
    return lines.join('\n');
  });
}

function render(testCase) {
  const H = Handlebars.create();
  registerPromptHelpers(H);
  try {
    const template = H.compile(testCase.template, { noEscape: true });
    const options = testCase.partials ? { partials: testCase.partials } : {};
    return { expected: String(template(testCase.data, options)) };
  } catch (error) {
    return { error: String(error && error.message ? error.message : error).split('\n')[0].slice(0, 200) };
  }
}

// `{{log}}` writes through console: keep standard output for the results.
for (const method of ['log', 'info', 'warn', 'error', 'debug']) {
  console[method] = (...args) => process.stderr.write(args.join(' ') + '\n');
}

const cases = JSON.parse(fs.readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify({ version: Handlebars.VERSION, results: cases.map(render) }));
