// The gRPC access-log receivers: one gRPC server per `access_log_services` entry, speaking
// envoy.service.accesslog.v3.AccessLogService/StreamAccessLogs. Each message's entries become
// records (als-records.ts) counted at once by the entry's pipeline, so a stream holds no more than
// the message being read (gRPC's flow control keeps Envoy from sending faster than that). Streams
// past max_streams are refused and counted. A reload restarts the receivers whose entry changed;
// the counters, in the shared families, carry on.
import { isDeepStrictEqual } from 'node:util';
import {
  Server,
  ServerCredentials,
  status,
  type ServerReadableStream,
  type ServiceDefinition,
  type sendUnaryData,
} from '@grpc/grpc-js';
import type { Config } from '../../config/schema.js';
import { ExporterError } from '../../errors.js';
import { formatListenAddress, parseListenAddress } from '../../config/listen-address.js';
import type { AccessLogServiceConfig } from '../../config/sections/access-log-services.js';
import type { Logger } from '../../log/logger.js';
import { METRICS } from '../../metrics/catalog.js';
import { Family, type Sample } from '../../metrics/family.js';
import { ALS_STREAM_PROBLEMS, type AlsStreamProblem } from '../../domain/exporter-words.js';
import { registerFamily, type MetricsRegistry } from '../../metrics/registry.js';
import { LabelLimiter } from '../../limit/label-limiter.js';
import type { AccessLogService } from '../access-log-service.js';
import type { LogPipeline } from '../pipeline.js';
import { ALS_SERVICE, alsDefinition } from './als-definition.js';
import { alsRecords, type AlsMessage } from './als-records.js';

interface Receiver {
  readonly config: AccessLogServiceConfig;
  readonly server: Server;
}

export class AlsService {
  readonly #receivers = new Map<string, Receiver>();
  readonly #open = new Family(METRICS.alsStreams);
  readonly #refused = new Family(METRICS.alsStreamsRefused);

  constructor(
    private readonly logs: AccessLogService,
    registry: MetricsRegistry,
    private readonly logger: Logger,
  ) {
    registerFamily(registry, this.#open);
    registerFamily(registry, this.#refused);
  }

  /** Bring the receivers in line with `config` (after the access logs': they share limiters). */
  async apply(config: Config): Promise<void> {
    const wanted = new Map(config.access_log_services.map((s) => [s.name, s]));
    for (const [name, receiver] of [...this.#receivers]) {
      const next = wanted.get(name);
      if (next === undefined || !isDeepStrictEqual(next, receiver.config)) {
        await shutdown(receiver.server);
        this.#receivers.delete(name);
      }
    }
    // a receiver the config no longer names is no longer published
    const named = ([log]: readonly string[]): boolean => wanted.has(log ?? '');
    this.#open.retain(named);
    this.#refused.retain(named);
    for (const service of config.access_log_services) {
      if (!this.#receivers.has(service.name)) await this.#start(service);
    }
  }

  async stop(): Promise<void> {
    await Promise.all([...this.#receivers.values()].map((r) => shutdown(r.server)));
    this.#receivers.clear();
  }

  async #start(config: AccessLogServiceConfig): Promise<void> {
    // one pipeline per log label: the entry's name, or name/log_name when refined (bounded)
    const pipelines = new Map<string, LogPipeline>();
    const logNames = new LabelLimiter([], config.max_log_names);
    const pipelineFor = (logName: string | undefined): LogPipeline => {
      const label =
        config.max_log_names === 0 ? config.name : `${config.name}/${logNames.value(logName)}`;
      let pipeline = pipelines.get(label);
      if (pipeline === undefined) {
        pipeline = this.logs.entryPipeline(label, config.directions, config.tls_clusters);
        pipelines.set(label, pipeline);
      }
      return pipeline;
    };
    const open = this.#open.sample([config.name]);
    const problems = Object.fromEntries(
      ALS_STREAM_PROBLEMS.map((p) => [p, this.#refused.sample([config.name, p])]),
    ) as Record<AlsStreamProblem, Sample>;
    const server = new Server({
      'grpc.max_receive_message_length': config.max_message_bytes,
    });
    const handler = (
      call: ServerReadableStream<AlsMessage, object>,
      done: sendUnaryData<object>,
    ): void => {
      if (open.value >= config.max_streams) {
        problems.max_streams.value += 1;
        done({
          code: status.RESOURCE_EXHAUSTED,
          details: `max_streams (${config.max_streams}) open`,
        });
        return;
      }
      open.value += 1;
      // a stream ends once: at its end (Envoy closed it), or broken (an oversize or malformed
      // message, a reset, the exporter shutting down), which is counted and logged
      let closed = false;
      const close = (broken: string | undefined): void => {
        if (closed) return;
        closed = true;
        open.value -= 1;
        if (broken === undefined) return;
        problems.stream_error.value += 1;
        this.logger.warn({ log: config.name, detail: broken }, 'gRPC access-log stream broken');
      };
      // the identifier (log_name) comes in the stream's first message only
      let pipeline: LogPipeline | undefined;
      call.on('data', (message: AlsMessage) => {
        pipeline ??= pipelineFor(message.identifier?.log_name);
        for (const record of alsRecords(message)) pipeline.entry(record);
        pipeline.linesEnded();
      });
      call.on('end', () => {
        close(undefined);
        done(null, {});
      });
      call.on('error', (err) => close(err.message));
      call.on('close', () => close('closed before its end'));
    };
    server.addService(alsDefinition()[ALS_SERVICE] as unknown as ServiceDefinition, {
      StreamAccessLogs: handler,
    });
    const credentialsFor = await serverCredentials(config);
    const port = await new Promise<number>((resolve, reject) => {
      server.bindAsync(grpcAddress(config.listen_address), credentialsFor, (err, bound) =>
        err ? reject(err) : resolve(bound),
      );
    });
    this.#receivers.set(config.name, { config, server });
    this.logger.info(
      { log: config.name, listen_address: config.listen_address, port },
      'receiving gRPC access logs',
    );
  }
}

/**
 * Plaintext, or TLS from a web config file: gRPC's TLS takes a certificate, a key and, for mTLS,
 * the client CA with the client certificate required; what else a web config can say (versions,
 * ciphers, basic auth, the other client_auth_types) it cannot do, so such a file is refused.
 */
async function serverCredentials(config: AccessLogServiceConfig): Promise<ServerCredentials> {
  const file = config.tls_config_file;
  if (file === undefined) return ServerCredentials.createInsecure();
  const { loadWebSettings } = await import('../../config/web-config.js');
  const settings = await loadWebSettings(file);
  const tls = settings.tls;
  const refuse = (what: string): never => {
    throw new ExporterError(
      'CONFIG_INVALID',
      `access_log_services "${config.name}": ${file}: ${what} (the gRPC receiver's TLS takes cert_file, key_file, and client_ca_file with RequireAndVerifyClientCert)`,
    );
  };
  if (tls === undefined) return refuse('no tls_server_config');
  if (settings.users.size > 0) refuse('basic_auth_users do not apply to gRPC');
  if (tls.clientAuth !== 'NoClientCert' && tls.clientAuth !== 'RequireAndVerifyClientCert')
    refuse(`client_auth_type ${tls.clientAuth} is not supported`);
  if (tls.clientAuth === 'RequireAndVerifyClientCert' && tls.ca === undefined)
    refuse('RequireAndVerifyClientCert needs client_ca_file');
  return ServerCredentials.createSsl(
    tls.clientAuth === 'RequireAndVerifyClientCert' ? (tls.ca ?? null) : null,
    [{ cert_chain: tls.cert, private_key: tls.key }],
    tls.clientAuth === 'RequireAndVerifyClientCert',
  );
}

/** `:port` (every interface) as gRPC spells it; the rest as written (config checked its form). */
function grpcAddress(listen: string): string {
  const parsed = parseListenAddress(listen);
  if (!parsed.ok) return listen;
  const { host, port } = parsed.value;
  return host === undefined ? `[::]:${port}` : formatListenAddress({ host, port });
}

function shutdown(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.tryShutdown(() => resolve());
    // streams Envoy keeps open forever would hold a graceful shutdown: cut them after a moment
    setTimeout(() => server.forceShutdown(), 2_000).unref();
  });
}
