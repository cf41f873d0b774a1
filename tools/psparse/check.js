#!/usr/bin/env node
// Parses PowerShell files with the tree-sitter PowerShell grammar and fails on the first syntax error of each,
// printing file:line:column. Usage: node check.js FILE... (exit 0: all parsed; 1: a syntax error; 2: usage).
import { readFileSync } from 'node:fs';
import Parser from 'tree-sitter';
import PowerShell from 'tree-sitter-powershell';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node check.js FILE.ps1 [FILE.psd1 ...]');
  process.exit(2);
}

const parser = new Parser();
parser.setLanguage(PowerShell);

// The first node, in document order, that is an error or a token the parser had to invent.
function firstProblem(node) {
  if (node.isError || node.type === 'ERROR') {
    return { node, kind: 'syntax error' };
  }
  if (node.isMissing) {
    return { node, kind: `missing ${node.type}` };
  }
  if (!node.hasError) {
    return null;
  }
  for (const child of node.children) {
    const found = firstProblem(child);
    if (found) {
      return found;
    }
  }
  return null;
}

let failed = 0;
for (const file of files) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    console.log(`not ok ${file}: cannot read (${error.code ?? error.message})`);
    failed++;
    continue;
  }
  // The native binding reads large inputs in chunks through a callback.
  const tree = parser.parse((index) => text.slice(index, index + 4096));
  const problem = firstProblem(tree.rootNode);
  if (problem) {
    const { row, column } = problem.node.startPosition;
    const snippet = text.split('\n')[row]?.trim().slice(0, 80) ?? '';
    console.log(`not ok ${file}:${row + 1}:${column + 1}: ${problem.kind}: ${snippet}`);
    failed++;
  } else {
    console.log(`ok ${file}`);
  }
}
process.exit(failed === 0 ? 0 : 1);
