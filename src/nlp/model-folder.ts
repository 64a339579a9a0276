/**
 * Loads a model folder — litmine's own (config.json with `litmine_task`, manifest.json) or a user's
 * Hugging Face/optimum export (id2label only, no manifest) — into one description the classifiers
 * use. Manifest sha256s are checked at load; the task is inferred from id2label when unstated.
 *
 *   const m = loadModelFolder('models/ner');  m.task // 'token-classification';  m.ref // { name, version }
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { LitmineError } from '../errors.js';
import { loadTokenizer } from './tokenizer/load-tokenizer.js';
import type { Tokenizer } from './tokenizer/tokenizer.js';

export type ModelTask = 'token-classification' | 'relation-classification';

export interface ModelFolder {
  dir: string;
  modelPath: string;
  task: ModelTask;
  labels: string[];
  /** Tokens per model input, [CLS] and [SEP] included. */
  maxLength: number;
  tokenizer: Tokenizer;
  ref: { name: string; version: string };
  config: Record<string, unknown>;
  /** onnxruntime session config entries the export asks for (config.json `onnx_session_config`). */
  sessionConfig: Record<string, string>;
  /** RE only: allowed labels per "SubjectType|ObjectType". */
  pairLabels?: Record<string, string[]>;
  entityMasks?: Record<string, string>;
  negativeLabel?: string;
}

type Json = Record<string, unknown>;

function fail(message: string, cause?: unknown): never {
  throw new LitmineError('LITMINE_MODEL_LOAD', message, { cause });
}

function readJson(path: string): Json | null {
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Json;
  } catch (err) {
    fail(`${path}: not valid JSON`, err);
  }
}

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** The manifest's expected sha256 per file, whichever of the usual shapes it uses. */
function manifestHashes(manifest: Json): Record<string, string> {
  const out: Record<string, string> = {};
  const files = manifest.files ?? manifest.sha256;
  if (Array.isArray(files)) {
    for (const f of files as Json[]) if (typeof f.path === 'string' && typeof f.sha256 === 'string') out[f.path] = f.sha256;
  } else if (files && typeof files === 'object') {
    for (const [name, v] of Object.entries(files as Json)) {
      if (typeof v === 'string') out[name] = v;
      else if (v && typeof v === 'object' && typeof (v as Json).sha256 === 'string') out[name] = (v as Json).sha256 as string;
    }
  }
  return out;
}

function inferTask(config: Json, labels: string[], dir: string): ModelTask {
  const stated = config.litmine_task;
  if (stated === 'token-classification' || stated === 'relation-classification') return stated;
  if (stated !== undefined) fail(`${dir}/config.json: unknown litmine_task ${JSON.stringify(stated)}`);
  if (labels.some((l) => /^[BIES]-/.test(l))) return 'token-classification';
  const arch = JSON.stringify(config.architectures ?? '');
  if (arch.includes('ForTokenClassification')) return 'token-classification';
  if (arch.includes('ForSequenceClassification')) return 'relation-classification';
  fail(`${dir}: cannot tell the task (no litmine_task, no B-/I- labels, no known architecture)`);
}

/** Weight-only int8 exports need `session.disable_quant_qdq: "1"` so their DequantizeLinear nodes fold at load. */
function readSessionConfig(config: Json, dir: string): Record<string, string> {
  const entries = config.onnx_session_config ?? {};
  if (typeof entries !== 'object' || entries === null || Array.isArray(entries)) {
    fail(`${dir}/config.json: onnx_session_config must be an object of strings`);
  }
  for (const [key, value] of Object.entries(entries)) {
    if (typeof value !== 'string' || !key.includes('.')) {
      fail(`${dir}/config.json: onnx_session_config["${key}"] must be a "section.key": "string" entry`);
    }
  }
  return entries as Record<string, string>;
}

export function loadModelFolder(dirIn: string): ModelFolder {
  const dir = resolve(dirIn);
  if (!existsSync(dir)) fail(`${dir}: model folder does not exist`);
  const modelPath = join(dir, 'model.onnx');
  if (!existsSync(modelPath)) fail(`${dir}: no model.onnx`);
  const config = readJson(join(dir, 'config.json'));
  if (!config) fail(`${dir}: no config.json`);
  const id2label = config.id2label as Record<string, string> | undefined;
  if (!id2label || Object.keys(id2label).length === 0) fail(`${dir}/config.json: no id2label`);
  const labels: string[] = [];
  for (const [k, v] of Object.entries(id2label)) labels[Number(k)] = v;
  if (labels.length !== Object.keys(id2label).length || labels.some((l) => typeof l !== 'string')) {
    fail(`${dir}/config.json: id2label keys are not 0..n-1`);
  }
  const task = inferTask(config, labels, dir);

  const manifest = readJson(join(dir, 'manifest.json'));
  let ref: ModelFolder['ref'];
  if (manifest) {
    for (const [name, expected] of Object.entries(manifestHashes(manifest))) {
      const path = join(dir, name);
      if (!existsSync(path)) fail(`${dir}: manifest lists ${name}, which is missing`);
      const actual = sha256File(path);
      if (actual !== expected.toLowerCase()) fail(`${dir}: ${name} sha256 ${actual} does not match the manifest's ${expected}`);
    }
    ref = { name: String(manifest.name ?? basename(dir)), version: String(manifest.version ?? '0') };
  } else {
    ref = { name: basename(dir), version: `sha256:${sha256File(modelPath).slice(0, 12)}` };
  }

  const tokConfig = readJson(join(dir, 'tokenizer_config.json')) ?? {};
  const positions = typeof config.max_position_embeddings === 'number' ? config.max_position_embeddings : 512;
  const tokMax =
    typeof tokConfig.model_max_length === 'number' && tokConfig.model_max_length < 100_000 ? tokConfig.model_max_length : undefined;
  const maxLength = Math.min(typeof config.max_length === 'number' ? config.max_length : (tokMax ?? 512), positions);
  if (maxLength < 8) fail(`${dir}: max_length ${maxLength} is too small`);

  const folder: ModelFolder = {
    dir,
    modelPath,
    task,
    labels,
    maxLength,
    tokenizer: loadTokenizer(dir),
    ref,
    config,
    sessionConfig: readSessionConfig(config, dir),
  };
  if (task === 'relation-classification') {
    const pairLabels = config.pair_labels as Record<string, string[]> | undefined;
    const entityMasks = config.entity_masks as Record<string, string> | undefined;
    if (!pairLabels || !entityMasks) fail(`${dir}/config.json: a relation model needs pair_labels and entity_masks`);
    for (const [key, allowed] of Object.entries(pairLabels)) {
      const unknown = allowed.filter((l) => !labels.includes(l));
      if (unknown.length) fail(`${dir}/config.json: pair_labels["${key}"] names unknown labels ${unknown.join(', ')}`);
    }
    folder.pairLabels = pairLabels;
    folder.entityMasks = entityMasks;
    folder.negativeLabel = typeof config.negative_label === 'string' ? config.negative_label : 'false';
  }
  return folder;
}
