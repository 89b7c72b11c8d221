// The netfilter stage: a parsed model of iptables rule sets, built from text only (a renderer's
// restore payload or a node's iptables-save dump), printed back in either text form.
// See README.md in this folder.
export type * from './model.js';
export { parseRuleset, type ParseOptions } from './parse.js';
export { applyRestore, type ApplyOptions } from './apply.js';
export { emptyRuleset } from './builtin.js';
export { printSave, canonicalRule, canonicalSpec, type PrintSaveOptions } from './print-save.js';
export { printRestore } from './print-restore.js';
export { formatProbability, probabilityThreshold } from './ext/rate.js';
export { addressIn } from './addr.js';
export { matchesOf, tableOf } from './query.js';
