// Connecting to Temporal: one place that knows about address, namespace, TLS, API key and the
// encrypting codec, used by the worker, the API and every script.
import { readFileSync } from 'node:fs';
import { Client, Connection, type ClientOptions, type ConnectionOptions } from '@temporalio/client';
import type { DataConverter, SearchAttributeType } from '@temporalio/common';
import { msToTs } from '@temporalio/common/lib/time';
import proto from '@temporalio/proto';
import { caseSearchAttributes } from '../workflows/search-attributes';
import { EncryptionCodec } from './codec';
import { CurrentRuns } from './current-runs';
import type { TemporalSettings } from './config';
import type { Secrets } from './secrets';

export function dataConverter(secrets: Pick<Secrets, 'encryptionKeys'>): DataConverter {
  return { payloadCodecs: [new EncryptionCodec(secrets.encryptionKeys)] };
}

/** Options shared by the client Connection and the worker's NativeConnection. */
export function connectionOptions(settings: TemporalSettings & { address: string }): ConnectionOptions & { apiKey?: string } {
  const { tls } = settings;
  return {
    address: settings.address,
    apiKey: settings.apiKey,
    tls: tls
      ? {
          serverNameOverride: tls.serverName,
          serverRootCACertificate: tls.caPath ? readFileSync(tls.caPath) : undefined,
          clientCertPair: tls.certPath && tls.keyPath
            ? { crt: readFileSync(tls.certPath), key: readFileSync(tls.keyPath) }
            : undefined,
        }
      : settings.apiKey ? true : undefined,
  };
}

/** What the API's client is given besides its connection: payloads encrypted, updates sent to each case's current run. */
export function caseEngineClientOptions(secrets: Pick<Secrets, 'encryptionKeys'>, currentRuns = new CurrentRuns()): Pick<ClientOptions, 'dataConverter' | 'interceptors'> {
  return { dataConverter: dataConverter(secrets), interceptors: { workflow: [currentRuns] } };
}

/** The client of the API and the bench. */
export function caseEngineClient(connection: Connection, namespace: string, secrets: Pick<Secrets, 'encryptionKeys'>): Client {
  return new Client({ connection, namespace, ...caseEngineClientOptions(secrets) });
}

const { IndexedValueType } = proto.temporal.api.enums.v1;

/** Each search-attribute type as the server's enum and as the CLI's `--search-attribute` word. */
const TYPES: Record<SearchAttributeType, { indexed: proto.temporal.api.enums.v1.IndexedValueType; cli: string }> = {
  KEYWORD: { indexed: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD, cli: 'Keyword' },
  TEXT: { indexed: IndexedValueType.INDEXED_VALUE_TYPE_TEXT, cli: 'Text' },
  INT: { indexed: IndexedValueType.INDEXED_VALUE_TYPE_INT, cli: 'Int' },
  DOUBLE: { indexed: IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE, cli: 'Double' },
  BOOL: { indexed: IndexedValueType.INDEXED_VALUE_TYPE_BOOL, cli: 'Bool' },
  DATETIME: { indexed: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME, cli: 'Datetime' },
  KEYWORD_LIST: { indexed: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST, cli: 'KeywordList' },
};

/** Registers sanfan's search attributes on a namespace (idempotent: existing ones are kept). */
export async function registerSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  // The Java time-skipping test server cannot list them (UNIMPLEMENTED): then add them all.
  const existing = await connection.operatorService.listSearchAttributes({ namespace })
    .then((answer) => answer.customAttributes ?? {}, () => ({}));
  const missing = caseSearchAttributes.filter((key) => !(key.name in existing));
  if (missing.length === 0) return;
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map((key) => [key.name, TYPES[key.type].indexed])),
  });
}

/** `--search-attribute Name=Type` flags for `temporal server start-dev`. */
export function devServerSearchAttributeFlags(): string[] {
  return caseSearchAttributes.flatMap((key) => ['--search-attribute', `${key.name}=${TYPES[key.type].cli}`]);
}

/** How long closed cases stay readable. The dev server creates its namespace with one day. */
export async function setRetention(connection: Connection, namespace: string, days: number): Promise<void> {
  await connection.workflowService.updateNamespace({
    namespace,
    config: { workflowExecutionRetentionTtl: msToTs(days * 24 * 60 * 60 * 1000) },
  });
}
