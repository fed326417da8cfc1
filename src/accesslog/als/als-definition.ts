// The gRPC service definition of Envoy's Access Log Service, built from the protobuf source in
// als-proto.ts (no .proto files to ship or find at run time). Its requestDeserialize is the one
// decoder of stream messages: the receiver and the tests use the same.
import { fromJSON, type PackageDefinition } from '@grpc/proto-loader';
import protobuf from 'protobufjs';
import { ALS_DATA_PROTO, ALS_PROTO, ALS_SERVICE_PROTO, WRAPPERS_PROTO } from './als-proto.js';

/** How decoded messages look: field names as in the .proto, enums by name, no defaults filled. */
const OPTIONS = { keepCase: true, enums: String, longs: String, defaults: false, oneofs: true };

export const ALS_SERVICE = 'envoy.service.accesslog.v3.AccessLogService';

let definition: PackageDefinition | undefined;

export function alsDefinition(): PackageDefinition {
  if (definition === undefined) {
    const root = new protobuf.Root();
    for (const source of [WRAPPERS_PROTO, ALS_PROTO, ALS_DATA_PROTO, ALS_SERVICE_PROTO])
      protobuf.parse(source, root, { keepCase: true });
    definition = fromJSON(root.toJSON(), OPTIONS);
  }
  return definition;
}

interface MethodDefinition {
  readonly requestDeserialize: (bytes: Buffer) => unknown;
  readonly requestSerialize: (message: unknown) => Buffer;
}

/** StreamAccessLogs: the method's (de)serializers. */
export function streamAccessLogsMethod(): MethodDefinition {
  const service = alsDefinition()[ALS_SERVICE] as unknown as Record<string, MethodDefinition>;
  const method = service['StreamAccessLogs'];
  if (method === undefined) throw new Error('StreamAccessLogs missing from the ALS definition');
  return method;
}
