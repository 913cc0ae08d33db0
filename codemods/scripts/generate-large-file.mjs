// One large generated TypeScript module for the codemod's size sweep: plain functions with, evenly spread, calls
// the rules report (fetch with and without init, axios, node:http with a callback), so that `fix` has sites in
// every part of the file. Deterministic: the same size and site count give the same text.
export function generateLargeFile(bytes, sites) {
  const header = "import axios from 'axios';\nimport http from 'node:http';\n\n";
  const siteTexts = [
    (i) => `export async function load${i}(url: string) {\n  const response = await fetch(url);\n  return response.json();\n}\n\n`,
    (i) => `export async function post${i}(url: string, body: string) {\n  return fetch(url, { method: 'POST', body });\n}\n\n`,
    (i) => `export function get${i}(url: string) {\n  return axios.get(url);\n}\n\n`,
    (i) => `export function ping${i}(url: string) {\n  http.get(url, (res) => res.resume()).on('error', () => {});\n}\n\n`,
  ];
  const filler = (i) =>
    `export function compute${i}(values: number[]): number {\n  let total = 0;\n  for (const value of values) total += value * ${i % 97} + Math.sqrt(value);\n  return total / Math.max(1, values.length);\n}\n\n`;
  const fillerSize = filler(1000).length;
  const fillers = Math.max(0, Math.round((bytes - header.length - sites * 110) / fillerSize));
  const every = Math.max(1, Math.floor(fillers / Math.max(1, sites)));
  const parts = [header];
  let placed = 0;
  for (let i = 0; i < fillers || placed < sites; i += 1) {
    if (i < fillers) parts.push(filler(i));
    if (placed < sites && i % every === 0) {
      parts.push(siteTexts[placed % siteTexts.length](placed));
      placed += 1;
    }
  }
  return parts.join('');
}
