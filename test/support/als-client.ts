// A gRPC client of Envoy's Access Log Service, as an Envoy with a tcp_grpc or http_grpc logger is
// one: streams StreamAccessLogsMessage to 127.0.0.1:PORT, in plaintext or with the credentials
// given (the server's certificate is for localhost).
import {
  credentials,
  makeClientConstructor,
  type ChannelCredentials,
  type Client,
  type ServiceError,
} from '@grpc/grpc-js';
import { ALS_SERVICE, alsDefinition } from '../../src/accesslog/als/als-definition.js';

export interface AlsStream {
  write(message: object): boolean;
  end(message?: object): void;
}

export type AlsClient = Client & {
  StreamAccessLogs(done: (err: ServiceError | null) => void): AlsStream;
};

export function alsClient(port: number, secure?: ChannelCredentials): AlsClient {
  const definition = alsDefinition()[ALS_SERVICE] as unknown as Parameters<
    typeof makeClientConstructor
  >[0];
  const Ctor = makeClientConstructor(definition, 'AccessLogService');
  return new Ctor(`127.0.0.1:${port}`, secure ?? credentials.createInsecure(), {
    'grpc.ssl_target_name_override': 'localhost',
  }) as unknown as AlsClient;
}
